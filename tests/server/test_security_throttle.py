"""Sign-in throttling: nobody locks a colleague out from another machine, the office NAT is
slowed but never shut out, a supervisor can unlock, and refused attempts cost no hashing even
when 200 arrive at once. Per-address rules are tried for real: clients bind to 127.0.0.2 /
127.0.0.3 / 127.0.0.4 against a real ``turnero serve``."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from server.security.throttle import LoginThrottle, ThrottlePolicy, pair_delay
from tests.conftest import PASSWORD, LiveServer

LOGIN = "/api/v1/auth/login"
WRONG = "equivocada"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ----------------------------------------------------------------------------- the rule


def test_delays_grow_per_user_and_address_only() -> None:
    clock = FakeClock()
    t = LoginThrottle(ThrottlePolicy(), clock)
    for _ in range(5):
        assert t.admit("ventanilla3", "10.0.0.9").admitted
    refused = t.admit("ventanilla3", "10.0.0.9")
    assert not refused.admitted and refused.reason == "user" and refused.wait_s == 1.0
    assert t.admit("VENTANILLA3", "10.0.0.9").reason == "user", "names ignore case"
    assert t.admit("ventanilla3", "10.0.0.20").admitted, "the real clerk's machine"
    waits = []
    for _ in range(6):
        wait = t.admit("ventanilla3", "10.0.0.9").wait_s
        clock.now += wait
        assert t.admit("ventanilla3", "10.0.0.9").admitted
        waits.append(wait)
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]
    assert pair_delay(ThrottlePolicy(), 40) == 300.0, "capped at five minutes"


def test_success_forgets_the_failures_and_unlock_lifts_every_address() -> None:
    clock = FakeClock()
    t = LoginThrottle(ThrottlePolicy(), clock)
    for address in ("10.0.0.1", "10.0.0.2"):
        for _ in range(5):
            t.admit("ana", address)
    assert not t.admit("ana", "10.0.0.1").admitted
    assert t.unlock("ANA") == 2
    assert t.admit("ana", "10.0.0.1").admitted and t.admit("ana", "10.0.0.2").admitted
    t.succeeded("ana", "10.0.0.1")
    assert t.failures("ana", "10.0.0.1") == 0 and t.failures("ana", "10.0.0.2") == 1


def test_one_address_is_slowed_for_seconds_never_locked_for_minutes() -> None:
    clock = FakeClock()
    policy = ThrottlePolicy(address_burst=30, address_rate_per_s=0.5)
    t = LoginThrottle(policy, clock)
    for i in range(30):  # made-up names from one office NAT
        assert t.admit(f"inventado{i}", "190.1.1.1").admitted
    refused = t.admit("clerk2", "190.1.1.1")
    assert not refused.admitted and refused.reason == "address" and refused.wait_s <= 2.0
    assert t.admit("clerk2", "190.1.1.2").admitted, "another address is not affected"
    clock.now += refused.wait_s
    assert t.admit("clerk2", "190.1.1.1").admitted, "a colleague gets in a moment later"


def test_forgotten_after_quiet_time_and_memory_bounded() -> None:
    clock = FakeClock()
    t = LoginThrottle(ThrottlePolicy(max_entries=100, address_burst=10_000), clock)
    for _ in range(6):
        t.admit("ana", "10.0.0.1")
    clock.now += 15 * 60 + 1
    assert t.admit("ana", "10.0.0.1").admitted
    for i in range(1000):
        t.admit(f"x{i}", "10.0.0.2")
    assert len(t._pairs) <= 100


# ----------------------------------------------------------------------------- real server


def client_at(server: LiveServer, address: str) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, timeout=20,
                        transport=httpx.HTTPTransport(local_address=address))


def login(c: httpx.Client, username: str, password: str = PASSWORD, counter: int | None = 1,
          **headers: str) -> httpx.Response:
    body: dict[str, Any] = {"username": username, "password": password}
    if counter is not None:
        body["counter"] = counter
    r = c.post(LOGIN, json=body, headers=headers)
    c.cookies.clear()
    return r


def test_wrong_passwords_elsewhere_never_lock_the_real_clerk_out(live_server: LiveServer
                                                                 ) -> None:
    with client_at(live_server, "127.0.0.2") as attacker, \
            client_at(live_server, "127.0.0.3") as clerk_pc:
        codes = [login(attacker, "clerk1", WRONG).status_code for _ in range(8)]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
        assert login(clerk_pc, "clerk1").status_code == 200, "the real clerk signs in"
        refused = login(attacker, "clerk1")  # even the right password waits there
        assert refused.status_code == 429
        assert "Espere" in refused.json()["detail"] and int(refused.headers["Retry-After"]) >= 1
        # a supervisor lifts it
        sup = login(clerk_pc, "super", counter=None).json()["token"]
        unlocked = clerk_pc.post("/api/v1/auth/unlock", json={"username": "clerk1"},
                                 headers={"Authorization": f"Bearer {sup}"})
        assert unlocked.status_code == 200 and unlocked.json()["unlocked"] is True
        assert login(attacker, "clerk1", counter=2).status_code == 200
        with live_server.client(sup) as s:
            history = s.get("/api/v1/stats/today")  # the supervisor session still works
            assert history.status_code == 200


def test_made_up_names_from_one_address_do_not_lock_its_colleagues(live_server: LiveServer
                                                                   ) -> None:
    with client_at(live_server, "127.0.0.2") as office_nat:
        for i in range(20):
            assert login(office_nat, f"inventado{i}", WRONG, counter=None).status_code == 401
        assert login(office_nat, "clerk2", counter=2).status_code == 200
        # a flood from the same address is slowed, by seconds
        codes = [login(office_nat, f"otro{i}", WRONG, counter=None) for i in range(20)]
        slowed = [r for r in codes if r.status_code == 429]
        assert slowed and all(int(r.headers["Retry-After"]) <= 3 for r in slowed)
    with client_at(live_server, "127.0.0.3") as elsewhere:
        assert login(elsewhere, "clerk3", counter=3).status_code == 200


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(make_server: Any) -> None:
    plain = make_server()
    with client_at(plain, "127.0.0.2") as c:
        codes = [login(c, "clerk1", WRONG, **{"X-Forwarded-For": f"10.9.9.{i}"}).status_code
                 for i in range(7)]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}, "no escape by header"
    proxied = make_server(extra_args=["--trusted-proxy", "127.0.0.4"])
    with client_at(proxied, "127.0.0.4") as proxy:
        for _ in range(6):
            login(proxy, "clerk1", WRONG, **{"X-Forwarded-For": "10.1.1.1"})
        assert login(proxy, "clerk1", **{"X-Forwarded-For": "10.1.1.1"}).status_code == 429
        assert login(proxy, "clerk1", **{"X-Forwarded-For": "10.1.1.2"}).status_code == 200
    with client_at(proxied, "127.0.0.5") as not_the_proxy:
        for i in range(5):
            login(not_the_proxy, "clerk2", WRONG, counter=2,
                  **{"X-Forwarded-For": f"10.2.2.{i}"})
        assert login(not_the_proxy, "clerk2", counter=2,
                     **{"X-Forwarded-For": "10.2.2.99"}).status_code == 429


def test_a_bad_proxy_setting_is_refused_in_spanish(tmp_path: Any) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT, subprocess_env

    r = subprocess.run([sys.executable, "-m", "server", "serve", "--db",
                        str(tmp_path / "x.db"), "--trusted-proxy", "no-es-ip"],
                       capture_output=True, text=True, env=subprocess_env(), cwd=ROOT,
                       timeout=30)
    assert r.returncode == 2 and "Proxy de confianza inválido" in r.stderr


async def _storm(server: LiveServer, n: int) -> Counter[int]:
    """n concurrent wrong passwords for one user from 127.0.0.2, and meanwhile one correct
    sign-in from 127.0.0.3 (which must succeed): the storm's status counts."""
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    attacker = httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits,
                                 transport=httpx.AsyncHTTPTransport(local_address="127.0.0.2",
                                                                    limits=limits))
    colleague = httpx.AsyncClient(base_url=server.base_url, timeout=60,
                                  transport=httpx.AsyncHTTPTransport(local_address="127.0.0.3"))
    async with attacker, colleague:
        async def bad() -> int:
            r = await attacker.post(LOGIN, json={"username": "clerk4", "password": WRONG,
                                                 "counter": 4})
            return r.status_code

        async def good() -> int:
            r = await colleague.post(LOGIN, json={"username": "clerk3", "password": PASSWORD,
                                                  "counter": 3})
            assert r.status_code == 200, r.text
            return 0

        results = await asyncio.gather(*[bad() for _ in range(n)], good())
    return Counter(results[:-1])


def test_two_hundred_concurrent_bad_logins_run_five_hashes(live_server: LiveServer) -> None:
    """Every 401 is one argon2 check (a refused attempt is answered 429 before hashing), so
    the status counts are the hash count seen from outside."""
    codes = asyncio.run(_storm(live_server, 200))
    assert codes == Counter({429: 195, 401: 5}), codes


@pytest.mark.parametrize("username", ["clerk1", "nadie-existe"])
def test_the_refusal_does_not_tell_whether_the_user_exists(live_server: LiveServer,
                                                           username: str) -> None:
    with client_at(live_server, "127.0.0.2") as c:
        r = login(c, username, WRONG, counter=None)
        assert r.status_code == 401 and r.json()["detail"] == "Usuario o contraseña incorrectos."
