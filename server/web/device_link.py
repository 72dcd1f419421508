"""A device's link (``/display?token=…``, ``/survey?counter=N&token=…``): the token is traded
once for a device session kept in an HttpOnly cookie, and the page reloads without it, so the
token never stays in the address bar, the history, ``localStorage`` or a long-lived cookie."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from server.api.deps import DEVICE_COOKIE, services_of
from server.auth import Role
from server.services.accounts import DEVICE_SESSION_DAYS

MAX_TOKEN_LENGTH = 200


async def trade_device_token(request: Request, token: str, role: Role) -> Response | None:
    """A 303 to the same page without ``token`` that sets the device-session cookie, or None
    when the token is not a valid device token of ``role`` (the page then explains)."""
    accounts = services_of(request).accounts
    session = (await accounts.open_device_session(token, role)
               if 0 < len(token) <= MAX_TOKEN_LENGTH else None)
    if session is None:
        return None
    rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
    response.set_cookie(DEVICE_COOKIE, session, max_age=DEVICE_SESSION_DAYS * 86400,
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response
