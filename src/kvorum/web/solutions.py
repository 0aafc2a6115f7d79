"""The answers of a task page's form: what taskview.js writes into its hidden `solutions` field,
and the server's messages about them placed next to their fields. The worker's task page and the
requester's preview both read them."""

import json
from typing import Any


def read(raw: str) -> list[dict[str, Any]] | None:
    """The answers taskview.js wrote into the form: [{"output_values": {...}}, ...]; None if unreadable."""
    try:
        solutions = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(solutions, list) or not all(
        isinstance(item, dict) and isinstance(item.get("output_values"), dict) for item in solutions
    ):
        return None
    return solutions


def errors_by_field(payload: object) -> tuple[dict[tuple[int, str], str], str | None]:
    """`solutions.<i>.output_values.<field>` messages by (task index, field); the rest as one message."""
    by_field: dict[tuple[int, str], str] = {}
    others = []
    for path, item in (payload if isinstance(payload, dict) else {}).items():
        message = str(item.get("message", "")) if isinstance(item, dict) else str(item)
        parts = str(path).split(".", 3)
        if len(parts) == 4 and parts[0] == "solutions" and parts[1].isdigit() and parts[2] == "output_values":
            by_field[(int(parts[1]), parts[3])] = message
        else:
            others.append(message)
    return by_field, "; ".join(others) or None
