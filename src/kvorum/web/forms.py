"""Reading a posted form: URL-encoded fields, checked for the page's form token."""

from urllib.parse import parse_qs

from fastapi import Request

from kvorum.services.errors import AccessDenied, DomainError, ValidationFailed
from kvorum.web import visitor

MAX_FIELDS = 200


async def read(request: Request) -> dict[str, str]:
    """The fields of the posted form (the first value of each); refused without the right token."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ValidationFailed("Send the form as application/x-www-form-urlencoded")
    try:
        fields = parse_qs(
            (await request.body()).decode(),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed("The form could not be read") from None
    form = {name: values[0] for name, values in fields.items()}
    if not visitor.form_token_matches(request, form.get("csrf_token", "")):
        raise AccessDenied(
            "This form did not come from a page of this site, or the page is out of date: "
            "go back, reload the page and send it again"
        )
    return form


def field_errors(error: DomainError) -> dict[str, str]:
    """A refusal as messages by form field (the first part of its path); one naming no field is under ''."""
    if isinstance(error.payload, dict) and error.payload:
        return {
            str(path).partition(".")[0]: str(item.get("message", "")) if isinstance(item, dict) else str(item)
            for path, item in error.payload.items()
        }
    return {"": error.message}
