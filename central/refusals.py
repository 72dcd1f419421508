"""The centre's own kinds of refusal (besides the office's Invalid, NotFound, Conflict).
Pure: the HTTP statuses are given in ``central.errors``."""

from __future__ import annotations

from server.queue.model import QueueError


class Unauthorized(QueueError):
    """No credentials, or credentials the centre does not know."""


class Forbidden(QueueError):
    """Known credentials that do not allow this (another office's rows, a role)."""


class TooLarge(QueueError):
    """A batch over the size limit."""
