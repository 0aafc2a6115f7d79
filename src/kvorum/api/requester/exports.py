"""/api/new/requester/pools/{id}/assignments.tsv: the results file toloka-kit's get_assignments_df reads.

Toloka serves it outside /api/v1 (toloka-kit asks for `<url>/api/new/requester/...`), so it has a
router of its own. The text is streamed as the database cursor is read.
"""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query
from kvorum.api.streaming import ClosingStreamingResponse
from kvorum.services.exports import assignments_tsv

router = APIRouter(prefix="/api/new/requester", tags=["exports"], responses=ERROR_RESPONSES)

_DOC: dict[str, Any] = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
        for name, text in (
            ("status", "comma-separated ACTIVE, SUBMITTED, APPROVED (accepted), REJECTED, SKIPPED, EXPIRED"),
            ("startTimeFrom", "assignments issued at or after this date-time"),
            ("startTimeTo", "assignments issued before this date-time"),
            ("excludeBanned", "true: leave out workers banned from this pool, its project or all projects"),
            (
                "field",
                "comma-separated columns: ASSIGNMENT:* (and, to narrow them, INPUT:/OUTPUT:/GOLDEN:/HINT:)",
            ),
            ("addRowDelimiter", "true: an empty line after each assignment"),
        )
    ]
}


@router.get(
    "/pools/{pool_id}/assignments.tsv",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "tab-separated values, one row per task of each assignment",
            "content": {"text/tab-separated-values": {}},
        }
    },
    openapi_extra=_DOC,
)
def export_assignments(
    pool_id: str, request: Request, ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)
) -> ClosingStreamingResponse:
    """The pool's assignments as TSV: INPUT, OUTPUT, GOLDEN, HINT and the chosen ASSIGNMENT columns."""
    chunks = assignments_tsv.export(
        ctx, caller=caller.id, pool_id=pool_id, params=params, link_base=str(request.base_url).rstrip("/")
    )
    return ClosingStreamingResponse(
        chunks,
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="assignments-{pool_id}.tsv"'},
    )
