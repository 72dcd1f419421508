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
from pwdlib.hashers.argon2 import Argon2Hasher


class Role(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    #: A serial-peripherals bridge (call buttons, LED displays), limited to some counters.
    HARDWARE = "hardware"
    #: The satisfaction-survey tablet at a counter: reads which ticket just finished there,
    #: and nothing a kiosk may do (it cannot issue tickets).
    SURVEY = "survey"


USER_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)
DEVICE_ROLES = (Role.KIOSK, Role.DISPLAY, Role.HARDWARE, Role.SURVEY)
#: Roles that may act on any counter (a clerk only on the one they signed in to).
ALL_COUNTERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

SESSION_HOURS = 12
MIN_PASSWORD_LENGTH = 8


class Passwords:
    """Password hashing (argon2 through pwdlib), built once by the composition root and
    passed to whoever checks passwords. ``Passwords()`` is the production setting; tests may
    pass ``Passwords.cheap()``, argon2 with minimal cost, so a sign-in does not take 0.4 s."""

    #: Environment variable that makes a server use ``cheap()`` (test servers only).
    CHEAP_ENV = "TURNERO_TEST_CHEAP_ARGON2"

    def __init__(self, hasher: PasswordHash | None = None) -> None:
        self._hasher = hasher or PasswordHash.recommended()
        self._dummy: str | None = None

    @classmethod
    def cheap(cls) -> Passwords:
        """argon2id at its lowest cost: for tests only, never for real passwords."""
        return cls(PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),)))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password: str, password_hash: str | None) -> bool:
        """Without a hash (the user does not exist) a dummy hash is checked anyway, so the
        time taken does not reveal which user names exist."""
        if password_hash is None:
            if self._dummy is None:
                self._dummy = self._hasher.hash("turnero-dummy-password")
            self._hasher.verify(password, self._dummy)
            return False
        return self._hasher.verify(password, password_hash)


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
    #: The counters a hardware bridge may act for, or the one a survey tablet serves (its
    #: token's ``--counters``; empty: a tablet token from before, any counter).
    counters: frozenset[int] = frozenset()

    @property
    def is_device(self) -> bool:
        return self.role in DEVICE_ROLES
