"""The Jinja2 environment of the pages: templates shipped in the package, every value autoescaped."""

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from kvorum import __version__

environment = Environment(
    loader=PackageLoader("kvorum.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
environment.globals["version"] = __version__


def _utc(moment: datetime) -> str:
    """A stored (naive UTC) moment in ISO 8601 with its zone, for the page scripts and <time>."""
    return moment.isoformat(timespec="seconds") + "Z"


def _usd(amount: float) -> str:
    return f"${amount:,.2f}"


def _duration(seconds: float) -> str:
    """600 -> '10 min', 5400 -> '1 h 30 min'."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


environment.filters.update(utc=_utc, usd=_usd, duration=_duration)


def render(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """The page `template` with `values`; the template also sees what every page shows (who is signed in,
    as a worker or a requester, and the form token)."""
    state = request.state
    values.setdefault("worker", getattr(state, "worker", None))
    values.setdefault("requester", getattr(state, "requester", None))
    values.setdefault("csrf_token", getattr(state, "csrf_token", ""))
    html = environment.get_template(template).render(request_path=request.url.path, **values)
    return HTMLResponse(html, status_code=status)
