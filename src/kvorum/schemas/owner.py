"""The `owner` object of a requester-side resource, as answered."""

from pydantic import BaseModel


class Owner(BaseModel):
    """The requester the resource belongs to; `myself` tells whether that is the caller."""

    id: str
    myself: bool
    company_id: str
