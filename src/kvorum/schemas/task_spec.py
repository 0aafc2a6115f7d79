"""A project's task_spec: input and output field specs and the view."""

import json
import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kvorum.schemas.common import Bool, Int, Number, Str, Wire

FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class FieldType(StrEnum):
    BOOLEAN = "boolean"
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    URL = "url"
    FILE = "file"
    COORDINATES = "coordinates"
    JSON = "json"
    ARRAY_BOOLEAN = "array_boolean"
    ARRAY_STRING = "array_string"
    ARRAY_INTEGER = "array_integer"
    ARRAY_FLOAT = "array_float"
    ARRAY_URL = "array_url"
    ARRAY_FILE = "array_file"
    ARRAY_COORDINATES = "array_coordinates"
    ARRAY_JSON = "array_json"

    @property
    def scalar(self) -> "FieldType":
        """The element type of an array type; a scalar type is its own."""
        return FieldType(self.value.removeprefix("array_"))

    @property
    def is_array(self) -> bool:
        return self.value.startswith("array_")


_KEYS_BY_SCALAR: dict[FieldType, frozenset[str]] = {
    FieldType.BOOLEAN: frozenset({"allowed_values"}),
    FieldType.STRING: frozenset({"min_length", "max_length", "allowed_values", "pattern"}),
    FieldType.INTEGER: frozenset({"min_value", "max_value", "allowed_values"}),
    FieldType.FLOAT: frozenset({"min_value", "max_value"}),
    FieldType.URL: frozenset(),
    FieldType.FILE: frozenset(),
    FieldType.COORDINATES: frozenset({"current_location"}),
    FieldType.JSON: frozenset(),
}
_CONSTRAINTS = frozenset().union(*_KEYS_BY_SCALAR.values(), {"min_size", "max_size"})


def allowed_keys(field_type: FieldType) -> frozenset[str]:
    """The constraint keys a field spec of this type may carry."""
    keys = _KEYS_BY_SCALAR[field_type.scalar]
    return keys | {"min_size", "max_size"} if field_type.is_array else keys


def _error(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


class FieldSpec(Wire):
    """One input or output field; constraint keys depend on `type`."""

    type: FieldType
    required: Bool = True
    hidden: Bool = False
    min_length: Int | None = Field(default=None, ge=0)
    max_length: Int | None = Field(default=None, ge=0)
    min_value: Number | None = None
    max_value: Number | None = None
    allowed_values: list[Any] | None = Field(default=None, min_length=1)
    pattern: Str | None = None
    current_location: Bool | None = None
    min_size: Int | None = Field(default=None, ge=0)
    max_size: Int | None = Field(default=None, ge=0)

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise _error(
                    "INVALID_REGEX_SYNTAX", f"pattern is not a valid regular expression: {exc}"
                ) from exc
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "FieldSpec":
        given = {key for key in _CONSTRAINTS if getattr(self, key) is not None}
        stray = sorted(given - allowed_keys(self.type))
        if stray:
            raise _error(
                "VALUE_NOT_ALLOWED", f"{', '.join(stray)} not allowed for a field of type {self.type}"
            )
        for low, high in (("min_length", "max_length"), ("min_value", "max_value"), ("min_size", "max_size")):
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                raise _error("VALUE_OUT_OF_BOUNDS", f"{low} must not exceed {high}")
        if self.allowed_values is not None:
            self._check_allowed_values(self.allowed_values)
        return self

    def _check_allowed_values(self, values: list[Any]) -> None:
        expected: type | tuple[type, ...] = {
            FieldType.BOOLEAN: bool,
            FieldType.STRING: str,
            FieldType.INTEGER: int,
        }[self.type.scalar]
        for value in values:
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise _error("VALUE_NOT_ALLOWED", f"allowed_values must all be of type {self.type.scalar}")
        if len({json.dumps(value) for value in values}) != len(values):
            raise _error("DUPLICATE_VALUE_IN_ARRAY", "allowed_values has duplicates")


class ViewAssets(Wire):
    style_urls: list[Str] | None = None
    script_urls: list[Str] | None = None


class ViewSpec(Wire):
    """Classic (markup, script, styles) or Template Builder (`config` string and `lock`), kept as given."""

    type: Literal["classic", "tb"]
    markup: Str | None = None
    script: Str | None = None
    styles: Str | None = None
    assets: ViewAssets | None = None
    config: Str | None = None
    lock: dict[Str, Str] | None = None
    infer_data_spec: Bool | None = Field(default=None, alias="inferDataSpec")
    settings: dict[Str, Any] | None = None

    @model_validator(mode="after")
    def _complete(self) -> "ViewSpec":
        if self.type == "classic":
            if self.markup is None:
                raise _error("VALUE_REQUIRED", "a classic view needs markup")
            if self.config is not None or self.lock is not None:
                raise _error("VALUE_NOT_ALLOWED", "config and lock belong to a Template Builder (tb) view")
            return self
        if self.config is None or self.lock is None:
            raise _error("VALUE_REQUIRED", "a Template Builder view needs config (a JSON string) and lock")
        try:
            json.loads(self.config)
        except ValueError as exc:
            raise _error("JSON_EXPECTED", "config must be a JSON-encoded string") from exc
        if any(value is not None for value in (self.markup, self.script, self.styles, self.assets)):
            raise _error("VALUE_NOT_ALLOWED", "markup, script, styles and assets belong to a classic view")
        return self


def _check_field_names(spec: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    for name in spec:
        if not FIELD_NAME.match(name):
            raise _error("INVALID_VALUE", f"field name {name!r} must be 1-100 letters, digits, '_' or '-'")
    return spec


class TaskSpec(Wire):
    input_spec: dict[Str, FieldSpec] = Field(min_length=1)
    output_spec: dict[Str, FieldSpec] = Field(min_length=1)
    view_spec: ViewSpec

    _names = field_validator("input_spec", "output_spec")(_check_field_names)

    @field_validator("output_spec")
    @classmethod
    def _outputs_visible(cls, spec: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        hidden = sorted(name for name, field in spec.items() if field.hidden)
        if hidden:
            raise _error("VALUE_NOT_ALLOWED", f"output fields cannot be hidden: {', '.join(hidden)}")
        return spec
