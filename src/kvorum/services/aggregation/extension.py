"""crowd-kit's other classification methods, through the optional `kvorum[crowdkit]` extra."""

import importlib.util

from kvorum.services.aggregation.answers import Answers, Labels
from kvorum.services.errors import ValidationFailed

METHODS: tuple[str, ...] = ()


def available() -> bool:
    return importlib.util.find_spec("crowdkit") is not None


def aggregate(method: str, answers: Answers) -> Labels:
    message = f"aggregation type {method} needs the kvorum[crowdkit] extra installed"
    raise ValidationFailed(message, {"type": {"code": "INVALID_VALUE", "message": message}})
