"""The action routes pools and trainings share: open, close, archive, clone (and close-for-update)."""

from collections.abc import Callable

from fastapi import APIRouter, Response

from kvorum.api.requester.common import Caller, Ctx, accepted
from kvorum.schemas.operation import OperationOut
from kvorum.services.accounts.requesters import Requester
from kvorum.services.context import Context
from kvorum.services.pools import lifecycle
from kvorum.services.pools import service as pools
from kvorum.services.pools.lifecycle import AlreadyDone, Transition
from kvorum.services.pools.types import PoolType

ACTIONS: dict[str, Transition] = {
    "open": lifecycle.OPEN,
    "close": lifecycle.CLOSE,
    "close-for-update": lifecycle.CLOSE_FOR_UPDATE,
    "archive": lifecycle.ARCHIVE,
}


def _action_endpoint(
    pool_type: PoolType, change: Transition
) -> Callable[[str, Context, Requester], Response]:
    def run(pool_id: str, ctx: Ctx, caller: Caller) -> Response:
        outcome = lifecycle.transition(
            ctx, caller=caller.id, pool_type=pool_type, pool_id=pool_id, change=change
        )
        if isinstance(outcome, AlreadyDone):
            return Response(status_code=204)
        return accepted(outcome)

    operation = f"{pool_type.operation_prefix}.{change.operation}"
    run.__doc__ = (
        f"{change.action.capitalize()} the {pool_type.noun.lower()}: 202 with a {operation} operation,"
        f" or 204 when it is already {change.done_statuses[0]}."
    )
    return run


def add_action_routes(router: APIRouter, pool_type: PoolType, actions: tuple[str, ...]) -> None:
    """Register `POST /{id}/<action>` for each action, answering 202 with an operation or 204."""
    noun = pool_type.noun.lower()
    for path in actions:
        router.add_api_route(
            f"/{{pool_id}}/{path}",
            _action_endpoint(pool_type, ACTIONS[path]),
            methods=["POST"],
            status_code=202,
            response_model=OperationOut,
            name=f"{path.replace('-', '_')}_{noun}",
            responses={204: {"description": "nothing to do"}, 409: {"description": "CONFLICT_STATE"}},
        )

    def clone(pool_id: str, ctx: Ctx, caller: Caller) -> Response:
        return accepted(pools.clone(ctx, caller=caller.id, pool_type=pool_type, pool_id=pool_id))

    clone.__doc__ = (
        f"Clone the {noun} into a new closed one; the operation's details.{pool_type.id_key} names the copy."
    )
    router.add_api_route(
        "/{pool_id}/clone",
        clone,
        methods=["POST"],
        status_code=202,
        response_model=OperationOut,
        name=f"clone_{noun}",
    )
