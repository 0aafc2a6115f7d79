"""What task creation needs to know about a target pool, looked up once per pool per batch."""

from dataclasses import dataclass

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.services.errors import Conflict
from kvorum.services.pools.model import Pool
from kvorum.services.tasks.values import ValuesChecker
from kvorum.store import pools as pool_store
from kvorum.store import projects as project_store


@dataclass(frozen=True, slots=True)
class TargetPool:
    """A pool tasks may be added to: the settings creation reads, once per pool rather than per task,
    and checkers compiled from its project's task_spec."""

    id: int
    owner_id: int
    training: bool
    zero_reward: bool
    task_overlap: int | None
    suite_overlap: int | None
    inputs: ValuesChecker
    outputs: ValuesChecker

    @classmethod
    def of(cls, pool: Pool, inputs: ValuesChecker, outputs: ValuesChecker) -> "TargetPool":
        settings = pool.settings
        return cls(
            id=pool.id,
            owner_id=pool.owner_id,
            training=settings.is_training,
            zero_reward=settings.zero_reward,
            task_overlap=settings.task_overlap,
            suite_overlap=settings.suite_overlap,
            inputs=inputs,
            outputs=outputs,
        )


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Why a `pool_id` names no pool tasks may be added to."""

    code: str
    message: str

    def error(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class TargetPools:
    """Resolves `pool_id` strings to a TargetPool, or to why not, for the `pool_id` field."""

    def __init__(self, conn: Connection, caller: int) -> None:
        self._conn = conn
        self._caller = caller
        self._cache: dict[str, TargetPool | Unavailable] = {}
        self._checkers: dict[int, tuple[ValuesChecker, ValuesChecker]] = {}

    def resolve(self, pool_id: str) -> TargetPool | Unavailable:
        found = self._cache.get(pool_id)
        if found is None:
            found = self._cache[pool_id] = self._load(pool_id)
        return found

    def _load(self, pool_id: str) -> TargetPool | Unavailable:
        key = parse_id(pool_id)
        row = None if key is None else pool_store.get(self._conn, owner_id=self._caller, pool_id=key)
        if row is None:
            return Unavailable("ENTITY_DOES_NOT_EXIST", f"pool {pool_id} does not exist")
        pool = Pool.from_row(row)
        if pool.status == "ARCHIVED":
            return Unavailable("INVALID_VALUE", f"pool {pool_id} is archived")
        inputs, outputs = self._project_checkers(pool.project_id)
        return TargetPool.of(pool, inputs, outputs)

    def _project_checkers(self, project_id: int) -> tuple[ValuesChecker, ValuesChecker]:
        """(inputs, outputs) of the project's task_spec, compiled once per batch."""
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


def pool_of_changed(conn: Connection, caller: int, pool_id: int, what: str) -> TargetPool:
    """The pool of a task or suite about to change (`what` names it), or CONFLICT_STATE when the pool
    no longer takes changes."""
    pool = TargetPools(conn, caller).resolve(str(pool_id))
    if isinstance(pool, Unavailable):
        raise Conflict(f"{what} cannot change: {pool.message}")
    return pool
