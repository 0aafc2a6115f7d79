"""Native DAWID_SKENE against crowd-kit's DawidSkene.fit_predict, in memory, in the same run.

    python -m bench.aggregation [--tasks 100000] [--overlap 5] [--labels 4] [--workers 2000]
                                [--seed 1] [--accuracy 0.3 0.95]

Seeded answers: `--tasks` tasks each answered by `--overlap` workers (of `--workers`, accuracy
uniform in `--accuracy`, the wrong answers uniform). Prints both times, their ratio, the peak
RSS after each (resource.getrusage: the process's high-water mark, so the native run goes
first), the number of EM iterations crowd-kit ran, whether every label agrees and the largest
probability difference.
"""

import argparse
import resource
import time

import numpy as np

from kvorum.services.aggregation import Answers, aggregate


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def answers(
    tasks: int, overlap: int, labels: int, workers: int, seed: int, accuracy: tuple[float, float]
) -> Answers:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, labels, tasks)
    skill = rng.uniform(*accuracy, workers)
    task = np.repeat(np.arange(tasks), overlap)
    worker = rng.integers(0, workers, tasks * overlap)
    right = rng.random(len(task)) < skill[worker]
    label = np.where(right, truth[task], rng.integers(0, labels, len(task)))
    return Answers(task, worker, label, tasks, workers, labels)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--overlap", type=int, default=5)
    parser.add_argument("--labels", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accuracy", type=float, nargs=2, default=(0.3, 0.95), metavar=("LOW", "HIGH"))
    args = parser.parse_args()
    data = answers(args.tasks, args.overlap, args.labels, args.workers, args.seed, tuple(args.accuracy))
    print(f"{len(data.task):,} answers: {args.tasks:,} tasks x {args.overlap}, {args.labels} labels")
    base_rss = peak_rss_mb()

    started = time.perf_counter()
    ours = aggregate("DAWID_SKENE", data)
    native = time.perf_counter() - started
    native_rss = peak_rss_mb()
    print(
        f"kvorum DAWID_SKENE      {native:7.2f} s   peak RSS {native_rss:6.0f} MB (start {base_rss:.0f} MB)"
    )

    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    frame = pd.DataFrame({"task": data.task, "worker": data.worker, "label": data.label})
    started = time.perf_counter()
    model = DawidSkene(n_iter=100, tol=1e-5)
    labels = model.fit_predict(frame)
    reference = time.perf_counter() - started
    print(f"crowd-kit DawidSkene    {reference:7.2f} s   peak RSS {peak_rss_mb():6.0f} MB")

    theirs = labels.loc[np.arange(data.n_tasks)].to_numpy(np.int64)
    probas = model.probas_.loc[np.arange(data.n_tasks), np.arange(data.n_labels)].to_numpy()
    difference = np.abs(probas[np.arange(data.n_tasks), ours.label] - ours.confidence).max()
    print(f"ratio {reference / native:.1f}x   EM iterations {len(model.loss_history_)}")
    print(f"labels agree on {int((theirs == ours.label).sum()):,} of {data.n_tasks:,} tasks")
    print(f"largest probability difference {difference:.1e}")


if __name__ == "__main__":
    main()
