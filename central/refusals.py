"""The centre's own kinds of refusal (besides the office's Invalid, NotFound, Conflict).
Pure: the HTTP statuses are given in ``central.errors``."""

from __future__ import annotations

from server.errors import DomainError


class Unauthorized(DomainError):
    """No credentials, or credentials the centre does not know."""


class Forbidden(DomainError):
    """Known credentials that do not allow this (another office's rows, a role)."""


class TooLarge(DomainError):
    """A batch over the size limit."""
