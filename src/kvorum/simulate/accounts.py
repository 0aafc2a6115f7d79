"""Where the simulated workers' API tokens come from.

The worker API has no sign-up call, so accounts are made where the database is: the `kvorum
simulate` command makes (or reuses) them in the server's database as `kvorum worker create` does,
and a crowd on a server elsewhere reads the tokens from a file.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from kvorum.simulate.errors import ConfigError


class Accounts(Protocol):
    def worker_tokens(self, names: Sequence[str]) -> list[str]:
        """A worker API token for each name, making the accounts that do not exist yet."""


class TokenFile:
    """Tokens listed in a file, one `name<TAB>token` a line (`#` starts a comment)."""

    def __init__(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the worker tokens ({exc})") from None
        self.path = path
        self.tokens: dict[str, str] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, tab, token = line.partition("\t")
            if not tab or not name.strip() or not token.strip():
                raise ConfigError(f"{path}:{number}: expected `name<TAB>token`")
            self.tokens[name.strip()] = token.strip()

    def worker_tokens(self, names: Sequence[str]) -> list[str]:
        missing = [name for name in names if name not in self.tokens]
        if missing:
            raise ConfigError(f"{self.path}: no token for {len(missing)} workers, e.g. {missing[0]!r}")
        return [self.tokens[name] for name in names]
