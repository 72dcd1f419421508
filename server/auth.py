"""Who is asking: roles, password hashing, tokens and sign-in throttling.

Passwords are hashed with argon2 (pwdlib). Tokens are 256-bit random strings; only their
SHA-256 is stored, so a copy of the database does not hand out working tokens.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
    #: The counters a hardware bridge may act for (its token's ``--counters``).
    counters: frozenset[int] = frozenset()

    @property
    def is_device(self) -> bool:
        return self.role in DEVICE_ROLES


@dataclass
class LoginThrottle:
    """Slows down password guessing: after ``max_failures`` failed sign-ins for a user name or
    from an address within ``window_s``, further attempts are refused for ``lockout_s``."""

    max_failures: int = 5
    window_s: float = 15 * 60
    lockout_s: float = 5 * 60
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)

    def retry_after(self, *keys: str) -> float:
        """Seconds the caller must wait (0 if allowed)."""
        now = self.clock()
        return max((self._locked_until.get(k, 0.0) - now for k in keys), default=0.0) if keys \
            else 0.0

    def failed(self, *keys: str) -> None:
        now = self.clock()
        for k in keys:
            recent = [t for t in self._failures.get(k, []) if now - t < self.window_s]
            recent.append(now)
            self._failures[k] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[k] = now + self.lockout_s
                self._failures[k] = []

    def succeeded(self, *keys: str) -> None:
        for k in keys:
            self._failures.pop(k, None)
            self._locked_until.pop(k, None)
