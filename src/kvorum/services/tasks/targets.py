"""What task creation needs to know about a target pool, looked up once per pool per batch."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.services.tasks.values import ValuesChecker
from kvorum.store import pools as pool_store
from kvorum.store import projects as project_store


@dataclass(frozen=True)
class TargetPool:
    """A pool tasks may be added to, with checkers compiled from its project's task_spec."""

    id: int
    owner_id: int
    training: bool
    zero_reward: bool
    status: str
    task_overlap: int | None
    suite_overlap: int | None
    inputs: ValuesChecker
    outputs: ValuesChecker


class TargetPools:
    """Resolves `pool_id` strings to TargetPool or to the field error that explains why not."""

    def __init__(self, conn: Connection, caller: int) -> None:
        self._conn = conn
        self._caller = caller
        self._cache: dict[str, TargetPool | tuple[str, str]] = {}
        self._checkers: dict[int, tuple[ValuesChecker, ValuesChecker]] = {}

    def resolve(self, pool_id: str) -> TargetPool | tuple[str, str]:
        """The pool, or (code, message) for the `pool_id` field."""
        found = self._cache.get(pool_id)
        if found is None:
            found = self._cache[pool_id] = self._load(pool_id)
        return found

    def _load(self, pool_id: str) -> TargetPool | tuple[str, str]:
        key = parse_id(pool_id)
        row = None if key is None else pool_store.get(self._conn, owner_id=self._caller, pool_id=key)
        if row is None:
            return "ENTITY_DOES_NOT_EXIST", f"pool {pool_id} does not exist"
        if row.status == "ARCHIVED":
            return "INVALID_VALUE", f"pool {pool_id} is archived"
        inputs, outputs = self._project_checkers(row.project_id)
        defaults: dict[str, Any] = row.spec.get("defaults") or {}
        suite_overlap = defaults.get("default_overlap_for_new_task_suites")
        return TargetPool(
            id=row.id,
            owner_id=row.owner_id,
            training=row.kind == "TRAINING",
            zero_reward=row.kind == "REGULAR" and row.spec.get("reward_per_assignment") == 0,
            status=row.status,
            task_overlap=defaults.get("default_overlap_for_new_tasks", suite_overlap),
            suite_overlap=suite_overlap,
            inputs=inputs,
            outputs=outputs,
        )

    def _project_checkers(self, project_id: int) -> tuple[ValuesChecker, ValuesChecker]:
        checkers = self._checkers.get(project_id)
        if checkers is None:
            project = project_store.get(self._conn, owner_id=self._caller, project_id=project_id)
            assert project is not None  # pools reference projects by foreign key
            spec = project.spec["task_spec"]
            checkers = self._checkers[project_id] = (
                ValuesChecker(spec["input_spec"]),
                ValuesChecker(spec["output_spec"]),
            )
        return checkers

    def touched(self) -> list[TargetPool]:
        """The pools resolved so far, in the order first seen."""
        return [pool for pool in self._cache.values() if isinstance(pool, TargetPool)]
