"""Every refusal Turnero can give, in one module.

The message of each error is plain Spanish for the person at the screen; the class says what
kind of refusal it is. ``server/api/errors.py`` maps the classes to HTTP statuses in one place
and the CLI prints the message. This module imports nothing, so every layer (the pure queue
rules included) may raise these.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse (base of every refusal below)."""


#: The historical name of the base class (the queue rules raised it first).
QueueError = DomainError


class NotFound(DomainError):
    """What the request names does not exist (a ticket, a counter, a user, a token)."""


class Conflict(DomainError):
    """The request is valid but the current state does not allow it."""


class Invalid(DomainError):
    """The request itself is wrong (unknown service, disabled group, ...)."""


class OfficeClosed(Conflict):
    """No tickets outside opening hours; ``next_opening`` is an ISO time or None."""

    def __init__(self, message: str, next_opening: str | None) -> None:
        super().__init__(message)
        self.next_opening = next_opening


class TicketInHand(Conflict):
    """The counter still holds a ticket and the request did not say what to do with it;
    ``ticket`` (id, number, status) goes into the answer so a client can ask the clerk."""

    def __init__(self, message: str, ticket: dict[str, object]) -> None:
        super().__init__(message)
        self.ticket = ticket


class AccessDenied(DomainError):
    """The caller's role or counter does not allow this action."""


class OtherCounter(AccessDenied):
    """A device bound to one counter asked for another; ``counter`` (its own) goes into the
    answer, so its page can say which counter it belongs to."""

    def __init__(self, message: str, counter: int) -> None:
        super().__init__(message)
        self.counter = counter


class CsrfRejected(AccessDenied):
    """A browser request without the CSRF token its session cookie requires."""


class NotSignedIn(DomainError):
    """No credentials, or credentials that no longer work."""


class BadCredentials(DomainError):
    """A sign-in with a wrong user name or password."""


class TooManyAttempts(DomainError):
    """Sign-in throttled; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        wait = f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"
        super().__init__(
            f"Demasiados intentos fallidos. Espere {wait} antes de intentar de nuevo."
        )
        self.retry_after = retry_after


class ConfigError(Exception):
    """One or more problems in an office configuration file; ``problems`` has one line each
    (the CLI prints them; the admin API rewords them into a ``ConfigInvalid``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ConfigInvalid(Invalid):
    """An edited configuration does not validate; ``problems`` has one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        head = "La configuración tiene un problema" if count == 1 else \
            f"La configuración tiene {count} problemas"
        sentences = (p if p.endswith(".") else p + "." for p in problems)
        super().__init__(f"{head}: " + " ".join(sentences))
        self.problems = problems


class SchemaTooNew(Exception):
    """The database was written by a newer Turnero; nothing was changed."""
