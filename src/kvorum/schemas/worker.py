"""A worker's profile: the facts pool filters are evaluated against."""

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from kvorum.schemas.common import Bool, Int, Number, Str, Wire

COUNTRY = r"^[A-Z]{2}$"
LANGUAGE = r"^[A-Z]{2}(-[A-Z]{2,4})?$"


class WorkerProfile(Wire):
    """Profile keys of the filter language, and the computed ones a worker's client reports."""

    country: Str | None = Field(default=None, pattern=COUNTRY)
    citizenship: Str | None = Field(default=None, pattern=COUNTRY)
    languages: list[Str] = Field(default_factory=list, max_length=50)
    gender: Literal["MALE", "FEMALE"] | None = None
    education: Literal["BASIC", "MIDDLE", "HIGH"] | None = None
    adult_allowed: Bool = False
    date_of_birth: date | None = None
    city: Int | None = None
    verified: Bool = False
    client_type: Literal["BROWSER", "TOLOKA_APP"] = "BROWSER"
    device_category: Literal["PERSONAL_COMPUTER", "SMARTPHONE", "TABLET", "WEARABLE_COMPUTER"] | None = None
    os_family: Str | None = None
    os_version: Number | None = None
    user_agent_type: Literal["BROWSER", "MOBILE_BROWSER", "OTHER"] | None = None
    region_by_phone: Int | None = None
    region_by_ip: Int | None = None

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, languages: list[str]) -> list[str]:
        for language in languages:
            if not re.fullmatch(LANGUAGE, language):
                raise ValueError(f"{language!r} is not an upper-case ISO 639-1 code such as EN")
        return languages
