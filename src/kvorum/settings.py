"""Every KVORUM_* setting in one place, read from the environment."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """The embedded default: one SQLite file in the working directory's data folder."""
    return f"sqlite:///{Path('kvorum-data') / 'kvorum.db'}"


class Settings(BaseSettings):
    """Server settings; the CLI's flags override the environment."""

    model_config = SettingsConfigDict(env_prefix="KVORUM_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    """Largest request body accepted; 100,000 tasks with modest inputs fit."""

    inline_operation_items: int = Field(default=20_000, ge=0)
    """Async batches up to this size run within the request that submits them."""
    operation_lease_seconds: int = Field(default=600, ge=1)
    """How long a runner owns an operation before another process may take it over."""
    run_background_jobs: bool = True
    time_travel: bool = False
    """Test servers only: POST /api/testing/advance-clock moves this process's clock forward."""
    job_poll_seconds: float = Field(default=0.5, gt=0)

    signup: Literal["open", "invite"] = "open"
    """Who may create a worker account on the sign-up page: anyone, or holders of an invite code
    (`kvorum invite create`)."""
    session_days: int = Field(default=14, ge=1)
    """How long a browser stays signed in."""
    secure_cookies: bool = False
    """Mark the session cookie Secure; set it when browsers reach the server over HTTPS."""
    sign_in_failures_per_account: int = Field(default=5, ge=1)
    sign_in_failures_per_address: int = Field(default=20, ge=1)
    sign_in_window_seconds: int = Field(default=900, ge=1)
    """Failed sign-ins allowed per account name and per client address within the window; more
    are refused (429) until the oldest falls out of it."""

    quota_task_create_per_minute: int = Field(default=100_000, ge=0)
    quota_task_create_per_day: int = Field(default=2_000_000, ge=0)
    quota_task_suite_create_per_minute: int = Field(default=100_000, ge=0)
    quota_task_suite_create_per_day: int = Field(default=2_000_000, ge=0)
    quota_pool_create_per_minute: int = Field(default=20, ge=0)
    quota_pool_create_per_day: int = Field(default=100, ge=0)
    quota_training_create_per_minute: int = Field(default=20, ge=0)
    quota_training_create_per_day: int = Field(default=100, ge=0)
    quota_pool_clone_per_minute: int = Field(default=20, ge=0)
    quota_pool_clone_per_day: int = Field(default=100, ge=0)
    quota_training_clone_per_minute: int = Field(default=20, ge=0)
    quota_training_clone_per_day: int = Field(default=100, ge=0)
    quota_project_create_per_minute: int = Field(default=20, ge=0)
    quota_project_create_per_day: int = Field(default=100, ge=0)
    quota_user_bonus_create_per_minute: int = Field(default=10_000, ge=0)
    quota_user_bonus_create_per_day: int = Field(default=10_000, ge=0)
