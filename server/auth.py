"""Who is asking: roles, password hashing and tokens (sign-in throttling: server/security).

Passwords are hashed with argon2 (pwdlib). Tokens are 256-bit random strings; only their
SHA-256 is stored, so a copy of the database does not hand out working tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from pwdlib import PasswordHash


class Role(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


USER_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)
DEVICE_ROLES = (Role.KIOSK, Role.DISPLAY)
#: Roles that may act on any counter (a clerk only on the one they signed in to).
ALL_COUNTERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

SESSION_HOURS = 12
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHash.recommended()
#: Verified against when the user does not exist, so timing does not reveal valid names.
_DUMMY_HASH = _hasher.hash("turnero-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_strength(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres."
    return None


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    role: Role
    name: str  # username for people, token name for devices
    display_name: str
    token_id: int
    user_id: int | None = None
    counter: int | None = None
    csrf: str | None = None
    via_cookie: bool = False

    @property
    def is_device(self) -> bool:
        return self.role in DEVICE_ROLES
