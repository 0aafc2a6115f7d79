"""The requester account as `GET /v1/requester` answers it."""

from pydantic import BaseModel

from kvorum.schemas.common import Number


class Company(BaseModel):
    id: str
    superintendent_id: str


class RequesterOut(BaseModel):
    """The account the token belongs to; kvorum keeps no balance, so it is 0."""

    id: str
    balance: Number
    public_name: dict[str, str]
    """Per language code, as Toloka localizes names."""
    company: Company
