"""API tokens: generated at random, stored only as hashes."""

import hashlib
import secrets

TOKEN_PREFIX = "kv_"


def new_token() -> str:
    """A token without dots: toloka-kit then sends it as `OAuth <token>`, which kvorum accepts."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long and random, so one SHA-256 is enough and lookups stay cheap."""
    return hashlib.sha256(token.encode()).hexdigest()
