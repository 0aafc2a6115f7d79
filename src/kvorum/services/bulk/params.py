"""What a create request asks for besides its objects."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CreateParams:
    """The query parameters of a create request."""

    async_mode: bool = False
    allow_defaults: bool = False
    skip_invalid_items: bool = False
    open_pool: bool = False
    operation_id: str | None = None

    def recorded(self) -> dict[str, bool]:
        """What an operation shows as its `parameters`; a stored operation is run with them."""
        return {
            "skip_invalid_items": self.skip_invalid_items,
            "allow_defaults": self.allow_defaults,
            "open_pool": self.open_pool,
        }
