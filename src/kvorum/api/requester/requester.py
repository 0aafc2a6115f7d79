from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller
from kvorum.schemas.requester import RequesterOut

router = APIRouter(tags=["requester"], responses=ERROR_RESPONSES)


@router.get("/requester", response_model=RequesterOut)
def get_requester(caller: Caller) -> JSONResponse:
    """The account the token belongs to."""
    return JSONResponse(answers.requester(caller))
