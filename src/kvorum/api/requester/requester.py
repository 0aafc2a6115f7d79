from typing import Any

from fastapi import APIRouter

from kvorum.api.requester.common import ERROR_RESPONSES, Caller
from kvorum.services.accounts import requesters as accounts

router = APIRouter(tags=["requester"], responses=ERROR_RESPONSES)


@router.get("/requester")
def get_requester(caller: Caller) -> dict[str, Any]:
    """The account the token belongs to."""
    return accounts.requester_view(caller)
