"""The report's figures, computed from what a configuration's run read back: accuracy against the
ground truth, answers per task and final overlaps, cost, bans, and each worker's true accuracy
next to the skill kvorum measured."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from kvorum.demo.plan import Items
from kvorum.demo.run import PlanRun
from kvorum.simulate.truth import task_key


@dataclass(frozen=True, slots=True)
class BanLine:
    worker: str
    behaviour: str
    why: str
    at_seconds: float
    """Seconds into the run, on the server's clock in time-travel mode."""


@dataclass(frozen=True, slots=True)
class WorkerLine:
    worker: str
    behaviour: str
    true_accuracy: float | None
    skill: float | None
    answers: int
    banned: bool
    passed_training: bool | None


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    features: list[str]
    tasks: int
    labelled: int
    correct: int
    per_class: dict[str, tuple[int, int]]
    """Per true class: (right, tasks)."""
    real_answers: int
    control_answers: int
    training_answers: int
    answer_counts: Counter[int]
    """How many real tasks got n answers."""
    final_overlaps: Counter[int]
    rewards: Decimal
    bonuses: Decimal
    bans: list[BanLine]
    kept_out_by_training: int
    workers: list[WorkerLine]
    elapsed_seconds: float
    simulated_seconds: float
    passes: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.tasks if self.tasks else 0.0

    @property
    def answers_per_task(self) -> float:
        return self.real_answers / self.tasks if self.tasks else 0.0

    @property
    def cost(self) -> Decimal:
        return self.rewards + self.bonuses


@dataclass(frozen=True, slots=True)
class Report:
    ours: Figures
    baseline: Figures
    url: str
    database: str
    seed: int
    workers: int
    elapsed_seconds: float


def figures(run: PlanRun, items: Items) -> Figures:
    """The figures of one configuration's run."""
    truth_of = {task_key(item.input_values): item.label for item in items.real}
    real_ids = {
        str(task["id"]): truth_of[task_key(task["input_values"])]
        for task in run.tasks
        if not task.get("known_solutions") and task_key(task["input_values"]) in truth_of
    }
    per_class: dict[str, list[int]] = {label: [0, 0] for label in items.truth.labels}
    for task_id, label in real_ids.items():
        given = run.labels.get(task_id, {}).get("output_values", {}).get("label")
        per_class[label][0] += given == label
        per_class[label][1] += 1
    answers = [answer for result in run.passes for answer in result.answers]
    in_pool = [answer for answer in answers if answer.pool_id == run.made.pool_id]
    answered = Counter(answer.task_id for answer in in_pool if answer.task_id in real_ids)
    overlaps = Counter(
        int(task["overlap"]) for task in run.tasks if str(task["id"]) in real_ids and "overlap" in task
    )
    workers = _workers(run)
    return Figures(
        name=run.plan.name,
        features=run.plan.features(),
        tasks=len(real_ids),
        labelled=sum(1 for task_id in real_ids if task_id in run.labels),
        correct=sum(right for right, _ in per_class.values()),
        per_class={label: (right, total) for label, (right, total) in per_class.items()},
        real_answers=sum(answered.values()),
        control_answers=len(in_pool) - sum(answered.values()),
        training_answers=len(answers) - len(in_pool),
        answer_counts=Counter(answered.get(task_id, 0) for task_id in real_ids),
        final_overlaps=overlaps,
        rewards=sum((worker.earned for result in run.passes for worker in result.workers), Decimal(0)),
        bonuses=run.bonuses,
        bans=_bans(run),
        kept_out_by_training=sum(1 for worker in workers if worker.passed_training is False),
        workers=workers,
        elapsed_seconds=run.elapsed_seconds,
        simulated_seconds=sum(result.simulated_seconds for result in run.passes),
        passes=len(run.passes),
    )


def _bans(run: PlanRun) -> list[BanLine]:
    """Each banned worker once: the restriction's comment (why) and when the worker met it."""
    why = {
        str(item["user_id"]): str(item.get("private_comment") or item.get("scope"))
        for item in run.restrictions
    }
    lines: dict[str, BanLine] = {}
    offset = 0.0
    for result in run.passes:
        for worker in result.workers:
            if worker.ban is not None and worker.user_id not in lines:
                reason = why.get(worker.user_id, worker.ban.message)
                at = offset + worker.ban.at_seconds
                lines[worker.user_id] = BanLine(worker.profile.name, worker.profile.behaviour, reason, at)
        offset += result.simulated_seconds
    return sorted(lines.values(), key=lambda line: line.at_seconds)


def _workers(run: PlanRun) -> list[WorkerLine]:
    """Per worker across the passes: true accuracy in the pool, the measured skill, the outcome."""
    first = run.passes[0]
    lines = []
    for index, worker in enumerate(first.workers):
        answers = [
            answer
            for result in run.passes
            for answer in result.workers[index].answers
            if answer.pool_id == run.made.pool_id and answer.correct is not None
        ]
        right = sum(1 for answer in answers if answer.correct)
        passed = None
        if run.made.training_id is not None:
            passed = not any("pass training" in message for message in worker.refused.values())
        lines.append(
            WorkerLine(
                worker=worker.profile.name,
                behaviour=worker.profile.behaviour,
                true_accuracy=right / len(answers) if answers else None,
                skill=run.skills.get(worker.user_id),
                answers=len(answers),
                banned=any(result.workers[index].ban is not None for result in run.passes),
                passed_training=passed,
            )
        )
    return lines
