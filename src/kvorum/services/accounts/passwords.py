"""Worker passwords: hashed with argon2id; scrypt hashes of earlier versions still verify, and are
replaced by argon2 at the next sign-in."""

import hashlib
import hmac
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024
"""Longer passwords are refused before hashing: no one types them, and they cost time to hash."""
_SCRYPT_PREFIX = "scrypt$"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _stand_in() -> str:
    """A hash to verify against when the account does not exist, so that the answer takes as long."""
    return _hasher.hash("no such account")


def verify(stored: str | None, password: str) -> bool:
    """Whether the password matches the stored hash; an account without one never matches."""
    if len(password) > MAX_LENGTH:
        return False
    if stored is None:
        _argon2_matches(_stand_in(), password)
        return False
    if stored.startswith(_SCRYPT_PREFIX):
        return _scrypt_matches(stored, password)
    return _argon2_matches(stored, password)


def outdated(stored: str) -> bool:
    """Whether a hash that just verified should be made again with the current parameters."""
    return stored.startswith(_SCRYPT_PREFIX) or _hasher.check_needs_rehash(stored)


def _argon2_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _scrypt_matches(stored: str, password: str) -> bool:
    """`scrypt$<salt hex>$<digest hex>`, as `kvorum worker create --password` stored them."""
    try:
        _, salt, digest = stored.split("$")
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=len(expected), **_SCRYPT)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)
