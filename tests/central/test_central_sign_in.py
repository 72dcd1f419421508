"""Centre sign-in under a flood of wrong passwords (a real ``turnero central serve``, clients
bound to 127.0.0.2 and 127.0.0.3): the attempts are admitted one by one on the event loop, so
only the free failures reach the password hash, and the user signs in from their own machine
during and after the flood (the throttle cannot be turned against staff)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from tests.central.conftest import CENTRAL_PASSWORD

LOGIN = "/api/v1/central/auth/login"


async def _flood(base_url: str, n: int) -> Counter[int]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    attacker = httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits,
                                 transport=httpx.AsyncHTTPTransport(local_address="127.0.0.2",
                                                                    limits=limits))
    own_machine = httpx.AsyncClient(base_url=base_url, timeout=60,
                                    transport=httpx.AsyncHTTPTransport(
                                        local_address="127.0.0.3"))
    async with attacker, own_machine:
        async def guess(i: int) -> int:
            r = await attacker.post(LOGIN, json={"username": "gobernacion",
                                                 "password": f"adivinando-{i}"})
            if r.status_code == 429:
                assert "Demasiados intentos" in r.json()["detail"]
                assert int(r.headers["Retry-After"]) > 0
            return r.status_code

        async def the_user() -> int:
            r = await own_machine.post(LOGIN, json={"username": "gobernacion",
                                                    "password": CENTRAL_PASSWORD})
            assert r.status_code == 200, r.text
            return 0

        results = await asyncio.gather(*[guess(i) for i in range(n)], the_user())
    return Counter(results[:-1])


def test_a_flood_of_wrong_passwords_is_throttled_and_the_user_still_signs_in(
        make_central: Any) -> None:
    centre = make_central()
    centre.add_user("gobernacion")
    codes = asyncio.run(_flood(centre.base_url, 60))
    # Each 401 is one password check: the other 55 were refused before any hashing.
    assert codes == Counter({429: 55, 401: 5}), codes
    # After the flood, too, the user signs in from their own machine at once.
    with centre.login("gobernacion") as gov:
        assert gov.get("/api/v1/central/auth/me").json() == {"username": "gobernacion",
                                                             "role": "supervisor"}


def _sign_in(client: httpx.Client, password: str, forwarded_for: str) -> int:
    r = client.post(LOGIN, json={"username": "gobernacion", "password": password},
                    headers={"X-Forwarded-For": forwarded_for})
    return r.status_code


def test_behind_the_listed_proxy_each_client_counts_on_its_own_address(
        make_central: Any) -> None:
    """The centre sits behind the gobernación's HTTPS proxy: guesses relayed for one client
    slow that client down, not the user signing in through the same proxy; a client that is
    not the listed proxy cannot pick its address with the header."""
    centre = make_central(extra_args=["--trusted-proxy", "127.0.0.4"])
    centre.add_user("gobernacion")
    with httpx.Client(base_url=centre.base_url, timeout=10,
                      transport=httpx.HTTPTransport(local_address="127.0.0.4")) as proxy:
        assert [_sign_in(proxy, "adivinando", "10.1.1.1") for _ in range(5)] == [401] * 5
        assert _sign_in(proxy, CENTRAL_PASSWORD, "10.1.1.1") == 429
        assert _sign_in(proxy, CENTRAL_PASSWORD, "10.1.1.2") == 200
    with httpx.Client(base_url=centre.base_url, timeout=10,
                      transport=httpx.HTTPTransport(local_address="127.0.0.5")) as other:
        assert [_sign_in(other, "adivinando", f"10.9.9.{i}") for i in range(5)] == [401] * 5
        assert _sign_in(other, CENTRAL_PASSWORD, "10.9.9.99") == 429  # the header is ignored
