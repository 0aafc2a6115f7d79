"""The worker's profile page: the facts pool filters read, skills, and earnings."""

from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from kvorum.api.auth import context
from kvorum.schemas.worker import Education, Gender, WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.errors import DomainError, ValidationFailed, validation_payload
from kvorum.services.workforce.ledger import usd
from kvorum.web.forms import field_errors
from kvorum.web.routing import PageRoute, form, see_other, signed_in
from kvorum.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Me = Annotated[Worker, Depends(signed_in)]
Form = Annotated[dict[str, str], Depends(form)]
CHOICES = {"gender": get_args(Gender), "education": get_args(Education)}


def profile_from(fields: dict[str, str]) -> WorkerProfile:
    """The stated facts of a sign-up or profile form; blank fields are left unstated."""
    values: dict[str, object] = {
        key: fields[key].strip().upper() if key in ("country", "citizenship") else fields[key].strip()
        for key in ("country", "citizenship", "gender", "education", "date_of_birth", "city")
        if fields.get(key, "").strip()
    }
    languages = [code.strip().upper() for code in fields.get("languages", "").split(",") if code.strip()]
    values.update(languages=languages, adult_allowed=fields.get("adult_allowed") == "on")
    try:
        return WorkerProfile.model_validate(values)
    except ValidationError as exc:
        raise ValidationFailed("Some facts are not valid", validation_payload(exc.errors())) from None


def _form_values(profile: dict[str, object]) -> dict[str, str]:
    """A stored profile as the form shows it."""
    shown = {key: str(value) for key, value in profile.items() if key in workers.STATED}
    shown["languages"] = ", ".join(map(str, profile.get("languages") or []))  # type: ignore[call-overload]
    shown["adult_allowed"] = "on" if profile.get("adult_allowed") else ""
    return shown


def _page(
    request: Request, me: Worker, fields: dict[str, str], errors: dict[str, str], *, status: int = 200
) -> Response:
    summary = workers.me(context(request), me)
    earnings = summary.earnings
    return render(
        request,
        "profile.html",
        status=status,
        worker=me,
        fields=fields,
        errors=errors,
        choices=CHOICES,
        skills=[
            (summary.skill_names.get(skill_id, f"Skill {skill_id}"), value)
            for skill_id, value in sorted(summary.skills.items())
        ],
        earnings={
            "accepted": usd(earnings.accepted),
            "pending": usd(earnings.pending),
            "bonuses": usd(earnings.bonuses),
            "total": usd(earnings.total),
        },
        saved=request.query_params.get("saved") == "1",
    )


@router.get("/work/profile")
def profile_page(request: Request, me: Me) -> Response:
    return _page(request, me, _form_values(me.profile), {})


@router.post("/work/profile")
def update_profile(request: Request, me: Me, fields: Form) -> Response:
    try:
        workers.state_profile(context(request), me, profile_from(fields))
    except DomainError as exc:
        return _page(request, me, fields, field_errors(exc), status=exc.status)
    return see_other("/work/profile?saved=1")
