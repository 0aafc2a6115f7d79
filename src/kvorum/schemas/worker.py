"""A worker's profile: the facts pool filters are evaluated against.

The value vocabularies are those of Toloka's filter reference (toloka.client.filter); the filter
language in kvorum.services.workforce.filters accepts exactly these values.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from kvorum.schemas.common import Bool, Int, Number, Str, Wire

COUNTRY = r"^[A-Z]{2}$"
"""An ISO 3166-1 alpha-2 country code such as RU."""
LANGUAGE = r"^[A-Z]{2}(-[A-Z]{2,4})?$"
"""An upper-case ISO 639-1 language code, optionally with a script or region: EN, ZH-HANS."""

Gender = Literal["MALE", "FEMALE"]
Education = Literal["BASIC", "MIDDLE", "HIGH"]
ClientType = Literal["BROWSER", "TOLOKA_APP"]
DeviceCategory = Literal["PERSONAL_COMPUTER", "SMARTPHONE", "TABLET", "WEARABLE_COMPUTER"]
OsFamily = Literal["WINDOWS", "OS_X", "MAC_OS", "LINUX", "BSD", "ANDROID", "IOS", "BLACKBERRY"]
UserAgentType = Literal["BROWSER", "MOBILE_BROWSER", "OTHER"]
UserAgentFamily = Literal[
    "IE", "CHROMIUM", "CHROME", "FIREFOX", "SAFARI", "YANDEX_BROWSER", "IE_MOBILE", "CHROME_MOBILE",
    "MOBILE_FIREFOX", "MOBILE_SAFARI",
]  # fmt: skip

Country = Annotated[Str, Field(pattern=COUNTRY)]
Language = Annotated[Str, Field(pattern=LANGUAGE)]


class WorkerProfile(Wire):
    """Profile keys of the filter language, and the computed ones a worker's client reports."""

    country: Country | None = None
    citizenship: Country | None = None
    languages: list[Language] = Field(default_factory=list, max_length=50)
    gender: Gender | None = None
    education: Education | None = None
    adult_allowed: Bool = False
    date_of_birth: date | None = None
    city: Int | None = None
    verified: Bool = False
    client_type: ClientType = "BROWSER"
    device_category: DeviceCategory | None = None
    os_family: OsFamily | None = None
    os_version: Number | None = None
    os_version_major: Int | None = None
    os_version_minor: Int | None = None
    os_version_bugfix: Int | None = None
    user_agent_type: UserAgentType | None = None
    user_agent_family: UserAgentFamily | None = None
    user_agent_version: Number | None = None
    user_agent_version_major: Int | None = None
    user_agent_version_minor: Int | None = None
    user_agent_version_bugfix: Int | None = None
    region_by_phone: Int | None = None
    region_by_ip: Int | None = None
