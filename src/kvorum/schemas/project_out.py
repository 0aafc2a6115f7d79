"""A project as answered: its settings as they were sent, and what the platform keeps about it."""

from typing import Literal

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.owner import Owner
from kvorum.schemas.project import ProjectIn


class ProjectOut(ProjectIn):
    """A project: the settings exactly as stored, its id, status, creation time and owner."""

    id: str
    status: Literal["ACTIVE", "ARCHIVED"]
    created: UtcDateTime
    owner: Owner
