"""Worker accounts: who takes tasks, and the profile that pool filters read."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts.passwords import hash_password
from kvorum.services.accounts.requesters import account_for_token, open_account
from kvorum.services.context import Context
from kvorum.services.workforce import ledger
from kvorum.services.workforce.filters import CATEGORIES, Facts
from kvorum.store import accounts as account_store
from kvorum.store import skills as skill_store
from kvorum.store.accounts import WORKERS


@dataclass(frozen=True)
class Worker:
    id: int
    name: str
    profile: dict[str, Any]

    def facts(self, skills: dict[int, float]) -> Facts:
        """Profile and skills as the filter language sees them: (category, key) -> value."""
        facts: dict[tuple[str, str], Any] = {
            ("skill", str(skill_id)): value for skill_id, value in skills.items()
        }
        for category, keys in CATEGORIES.items():
            for key in keys.keys() & self.profile.keys():
                facts[(category, key)] = _fact(key, self.profile[key])
        return facts


def _fact(key: str, value: Any) -> Any:
    """A stored profile value as filters compare it: a date of birth is a Unix time in seconds."""
    if key == "date_of_birth":
        return int(datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC).timestamp())
    return value


def create_worker(
    ctx: Context, *, name: str, profile: WorkerProfile, password: str | None = None
) -> tuple[Worker, str]:
    """A worker account and its first API token."""
    stored = profile.wire()
    hashed = None if password is None else hash_password(password)
    worker_id, token = open_account(ctx, WORKERS, name=name, profile=stored, password_hash=hashed)
    return Worker(worker_id, name.strip(), stored), token


STATED = (
    "country",
    "citizenship",
    "languages",
    "gender",
    "education",
    "date_of_birth",
    "city",
    "adult_allowed",
)
"""The profile facts a worker states themselves; the rest (client, device, verification) are not theirs
to set."""


def state_profile(ctx: Context, worker: Worker, stated: WorkerProfile) -> Worker:
    """Replace the facts the worker states with `stated`, keeping the others."""
    given = stated.wire()
    profile = {key: value for key, value in worker.profile.items() if key not in STATED}
    profile.update((key, given[key]) for key in STATED if key in given)
    profile = WorkerProfile.model_validate(profile).wire()
    with ctx.db.write() as conn:
        account_store.update_worker(conn, worker_id=worker.id, profile=profile)
    return Worker(worker.id, worker.name, profile)


def authenticate(ctx: Context, *, token: str) -> Worker:
    with ctx.db.read() as conn:
        row = account_for_token(conn, WORKERS, token)
    return Worker(row.id, row.name, row.profile)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a worker reads about themselves: the account, skill values that have not expired, earnings."""

    worker: Worker
    skills: Mapping[int, float]
    earnings: ledger.Earnings
    skill_names: Mapping[int, str]
    """The public name of each skill that has one, in the worker's language where it is given."""


def me(ctx: Context, worker: Worker) -> Summary:
    """The signed-in worker's summary (`GET /api/worker/v1/me`)."""
    with ctx.db.read() as conn:
        skills = skill_store.values_of(conn, worker_id=worker.id, now=ctx.clock.now())
        earnings = ledger.earnings(conn, worker_id=worker.id)
        names = skill_store.public_names(conn, skill_ids=list(skills))
    languages = [*worker.profile.get("languages", []), "EN"]
    return Summary(
        worker, skills, earnings, {key: _in_language(name, languages) for key, name in names.items()}
    )


def _in_language(name: Mapping[str, str], languages: list[str]) -> str:
    """The text of a localized name in the first of `languages` it has, or else in any."""
    return next((name[language] for language in languages if language in name), next(iter(name.values())))
