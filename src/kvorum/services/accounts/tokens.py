"""API tokens and passwords: generated at random, stored only as hashes."""

import hashlib
import secrets

TOKEN_PREFIX = "kv_"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_token() -> str:
    """A token without dots: toloka-kit then sends it as `OAuth <token>`, which kvorum accepts."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long and random, so one SHA-256 is enough and lookups stay cheap."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"
