"""Invite codes: when sign-up is by invitation, each code lets one person create a worker account."""

import secrets

from kvorum.services.accounts.tokens import token_hash
from kvorum.services.context import Context
from kvorum.store import invites as store


def create_invites(ctx: Context, *, count: int) -> list[str]:
    """`count` new codes, shown once: only their hashes are kept."""
    codes = [secrets.token_urlsafe(12) for _ in range(count)]
    with ctx.db.write() as conn:
        store.insert_codes(conn, code_hashes=[token_hash(code) for code in codes], now=ctx.clock.now())
    return codes
