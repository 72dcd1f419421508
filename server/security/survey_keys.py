"""The survey capability: a second secret, apart from the ticket id, that only the printed QR
code and the counter's own survey tablet hold.

Staff see ticket ids (they act on tickets by id), so the id alone must not be enough to rate
an attention: a clerk could rate their own. The key is an HMAC of the ticket id under a
server secret (created by migration ``006_security``), so nothing per ticket is stored and a
kiosk retry gets the same key back. It travels in the fragment of the status URL
(``/t/<id>#k=<key>``), which browsers never send to the server, so it stays out of logs and
``Referer`` headers; the page hands it to ``POST /tickets/{id}/survey`` as ``key``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_SETTING = "survey_secret"
KEY_PARAM = "k"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class SurveyKeys:
    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def key_for(self, ticket_id: str) -> str:
        digest = hmac.new(self._secret, ticket_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()

    def valid(self, ticket_id: str, key: str | None) -> bool:
        return bool(key) and hmac.compare_digest(self.key_for(ticket_id), str(key))

    def capability_url(self, status_url: str, ticket_id: str) -> str:
        """The status URL the citizen carries: the page address plus the survey key."""
        return f"{status_url.split('#', 1)[0]}#{KEY_PARAM}={self.key_for(ticket_id)}"
