"""Users, sign-in sessions and device tokens.

Password checks (argon2, ~0.1 s) run in a worker thread, never on the event loop. Resolved
tokens are cached for ``CACHE_TTL_S`` so most requests need no database read at all; a token
revoked by this server leaves the cache at once (and its live sockets are closed through
``on_revoke``), one revoked by the CLI within the TTL.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import anyio

from server.auth import (
    DEVICE_ROLES,
    USER_ROLES,
    Passwords,
    Principal,
    Role,
    check_password_strength,
    new_token,
    token_digest,
)
from server.errors import BadCredentials, Conflict, Invalid, NotFound, TooManyAttempts
from server.security.throttle import LoginThrottle
from server.services.desk import SETTLE_RETURN, Desk
from server.storage import Reader, ReadPool, Store, TokenRow, Tx, UserRow

log = logging.getLogger(__name__)

CACHE_TTL_S = 30.0
#: Longest pause between two looks for counter sessions that ran out (a sign-in made while
#: the expiry watch sleeps runs out at least a session later, see ``watch_session_expiry``).
EXPIRY_CHECK_MAX_S = 60.0
#: A board or tablet session lasts as long as a browser keeps its cookie (Chromium: 400 days);
#: it ends earlier when its device token is revoked.
DEVICE_SESSION_DAYS = 400


@dataclass(frozen=True)
class SignIn:
    token: str
    csrf: str
    principal: Principal
    expires_at: float


def user_public(u: UserRow) -> dict[str, Any]:
    return {"id": u.id, "username": u.username, "display_name": u.display_name,
            "role": u.role, "active": u.active}


def token_public(t: TokenRow) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "role": t.role, "created_at": t.created_at,
            "revoked": t.revoked_at is not None}


def _check_user_role(role: str) -> None:
    if role not in {str(r) for r in USER_ROLES}:
        raise Invalid(f"Rol {role!r} inválido; use clerk, supervisor o admin.")


def _check_password(password: str) -> None:
    problem = check_password_strength(password)
    if problem:
        raise Invalid(problem)


class Accounts:
    def __init__(self, store: Store, reads: ReadPool, desk: Desk, passwords: Passwords,
                 clock: Callable[[], float] = time.time,
                 throttle: LoginThrottle | None = None,
                 on_revoke: Callable[[int], None] | None = None,
                 on_resolve: Callable[[Principal], None] | None = None) -> None:
        """``on_revoke`` is told the id of every token revoked here (the app closes the live
        sockets opened with it); ``on_resolve`` every principal a token resolved to (the
        health check's "last seen")."""
        self.store = store
        self.reads = reads
        self.desk = desk
        self.passwords = passwords
        self.clock = clock
        self.throttle = throttle or LoginThrottle()
        self._on_revoke = on_revoke
        self.on_resolve = on_resolve
        self._cache: dict[str, tuple[Principal, float]] = {}

    # ------------------------------------------------------------------ users

    def create_user_sync(self, username: str, password: str, role: str,
                         display_name: str | None = None) -> dict[str, Any]:
        username = username.strip()
        if not username or len(username) > 64 or any(c.isspace() for c in username):
            raise Invalid("El usuario no puede estar vacío ni tener espacios.")
        _check_user_role(role)
        _check_password(password)
        pw_hash = self.passwords.hash(password)

        def add(tx: Tx) -> dict[str, Any]:
            if tx.user_by_name(username):
                raise Conflict(f"El usuario {username!r} ya existe.")
            uid = tx.insert_user(username, display_name or username, role, pw_hash, self.clock())
            user = tx.user_by_id(uid)
            assert user is not None
            return user_public(user)

        return self.store.run_sync(add)

    async def create_user(self, username: str, password: str, role: str,
                          display_name: str | None = None) -> dict[str, Any]:
        return await anyio.to_thread.run_sync(
            self.create_user_sync, username, password, role, display_name)

    async def list_users(self) -> list[dict[str, Any]]:
        return await self.reads.run(lambda r: [user_public(u) for u in r.users()])

    async def update_user(self, user_id: int, *, role: str | None = None,
                          active: bool | None = None, display_name: str | None = None,
                          password: str | None = None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if role is not None:
            _check_user_role(role)
            fields["role"] = role
        if active is not None:
            fields["active"] = int(active)
        if display_name is not None:
            if not display_name.strip():
                raise Invalid("El nombre no puede estar vacío.")
            fields["display_name"] = display_name.strip()
        if password is not None:
            _check_password(password)
            fields["password_hash"] = await anyio.to_thread.run_sync(self.passwords.hash,
                                                                     password)

        def update(tx: Tx) -> tuple[dict[str, Any], list[int]]:
            user = tx.user_by_id(user_id)
            if user is None:
                raise NotFound("Ese usuario no existe.")
            if fields:
                tx.update_user(user_id, **fields)
            ended: list[int] = []
            if "role" in fields or "password_hash" in fields or active is False:
                ended = tx.revoke_user_sessions(user_id, self.clock())
            updated = tx.user_by_id(user_id)
            assert updated is not None
            return user_public(updated), ended

        public, ended = await self.store.run(update)
        for token_id in ended:
            self._forget(token_id)
        return public

    # ------------------------------------------------------------------ sessions

    async def sign_in(self, username: str, password: str, counter: int | None,
                      address: str, force: bool = False, reason: str | None = None) -> SignIn:
        admission = self.throttle.admit(username, address)  # counted before hashing
        if not admission.admitted:
            raise TooManyAttempts(admission.wait_s)
        user = await self.reads.run(lambda r: r.user_by_name(username))
        valid = await anyio.to_thread.run_sync(
            self.passwords.verify, password, user.password_hash if user else None)
        if not valid or user is None or not user.active:
            raise BadCredentials("Usuario o contraseña incorrectos.")
        self.throttle.succeeded(username, address)
        role = Role(user.role)
        if role == Role.CLERK and counter is None:
            raise Invalid("Elija la ventanilla en la que va a atender.")
        if counter is not None:
            self.desk.office.counter_config(counter)
        token, csrf = new_token(), secrets.token_urlsafe(24)
        now = self.clock()
        expires = now + self.session_s

        def open_session(tx: Tx) -> tuple[Principal, list[int]]:
            p = Principal(role, user.username, user.display_name, 0, user.id, counter, csrf)
            ended = self.desk.open_counter(tx, counter, p, force, reason) if counter else []
            token_id = tx.insert_token(token_digest(token), "session", str(role), user.username,
                                       now, user_id=user.id, counter=counter, csrf=csrf,
                                       expires_at=expires)
            return replace(p, token_id=token_id), ended

        principal, ended = await self.store.run(open_session)
        for token_id in ended:
            self._forget(token_id)
        return SignIn(token, csrf, principal, expires)

    async def unlock(self, username: str, actor: Principal) -> dict[str, Any]:
        """A supervisor lifts the sign-in delays on a user name (from every address); the act
        is recorded in the audit log."""
        name = username.strip()
        if not name:
            raise Invalid("Indique el usuario que quiere desbloquear.")
        addresses = self.throttle.unlock(name)

        def record(tx: Tx) -> None:
            tx.record("user.unlocked", self.clock(), {"user": name}, actor=actor.name,
                      actor_role=str(actor.role), detail={"user": name, "addresses": addresses})

        await self.store.run(record)
        return {"username": name, "unlocked": addresses > 0, "addresses": addresses}

    async def sign_out(self, p: Principal, in_hand: str | None = None) -> None:
        """End a session; a clerk's counter closes with it. A ticket still in hand there
        needs ``in_hand`` ("finish", "return" or "no_show"), else ``TicketInHand``."""
        def close(tx: Tx) -> None:
            tx.revoke_token(p.token_id, self.clock())
            if p.counter is not None:
                self.desk.close_counter(tx, p.counter, p, in_hand)

        await self.store.run(close)
        self._forget(p.token_id)

    @property
    def session_s(self) -> float:
        """How long a staff sign-in lasts, in seconds."""
        return self.desk.office.settings.session_hours * 3600

    async def close_expired_sessions(self) -> int:
        """End the counter sessions whose time ran out, closing their counters as a sign-out
        does, with the one choice that never wrongs the citizen: the ticket in hand (called
        or in attention) returns to the line keeping its place, as when a supervisor frees a
        counter; it is neither closed as served nor marked absent behind the clerk's back.
        A counter someone else holds by now is left alone. One transaction per session, so
        one that fails (logged) does not keep the others open. Returns the sessions ended."""
        now = self.clock()
        expired = await self.reads.run(lambda r: r.expired_counter_sessions(now))
        ended = 0
        for row in expired:
            try:
                closed = await self.store.run(partial(self._end_expired, row=row))
            except Exception:  # noqa: BLE001 - the other sessions still end
                log.exception("closing the expired session %d failed", row.id)
                continue
            if closed:
                ended += 1
                self._forget(row.id)
        if ended:
            log.info("%d sesiones de ventanilla vencieron; sus ventanillas quedaron cerradas",
                     ended)
        return ended

    def _end_expired(self, tx: Tx, *, row: TokenRow) -> bool:
        """Revoke one expired counter session and close its counter if the clerk still holds
        it; False when the session was ended meanwhile (sign-out, a new sign-in)."""
        current = tx.token_by_id(row.id)
        if current is None or current.revoked_at is not None:
            return False
        now = self.clock()
        tx.revoke_token(row.id, now)
        counter = tx.counter_row(row.counter) if row.counter is not None else None
        if counter is None or counter.state == "closed" or \
                (counter.clerk or "").lower() != row.name.lower():
            return True
        user = tx.user_by_id(row.user_id) if row.user_id is not None else None
        clerk = Principal(Role(row.role), row.name,
                          user.display_name if user else row.name, row.id,
                          row.user_id, row.counter)
        self.desk.close_counter(tx, counter.number, clerk, SETTLE_RETURN, "la sesión venció")
        return True

    async def watch_session_expiry(self) -> None:
        """For the server's life: close each counter session when it runs out (no request
        from its browser needed: a clerk who leaves without signing out must not leave a
        counter "open" with a citizen's ticket in hand)."""
        while True:
            try:
                await self.close_expired_sessions()
                first = await self.reads.run(lambda r: r.next_counter_session_expiry())
            except Exception:  # noqa: BLE001 - keep watching
                log.exception("closing expired sessions failed")
                first = None
            wait = EXPIRY_CHECK_MAX_S if first is None else first - self.clock()
            # A sign-in made meanwhile runs out no sooner than one session from now.
            await anyio.sleep(min(max(wait, 0.05), EXPIRY_CHECK_MAX_S, self.session_s))

    async def free_counter(self, number: int, actor: Principal) -> dict[str, Any]:
        """A supervisor frees a counter (see ``Desk.free_counter``); the sessions it ends stop
        working at once."""
        view, ended = await self.desk.free_counter(number, actor)
        for token_id in ended:
            self._forget(token_id)
        return view

    async def why_session_ended(self, token: str) -> str | None:
        """For the holder of a session that someone else ended by taking over or freeing its
        counter: who did it and why, in plain Spanish (None for any other session)."""
        digest = token_digest(token)

        def read(r: Reader) -> str | None:
            row = r.token_by_hash(digest)
            if row is None or row.revoked_at is None or row.counter is None:
                return None
            for rec in r.audit_since(row.revoked_at - 1, ("counter.changed",), 50):
                d = rec.detail
                if rec.counter != row.counter or row.name not in (d.get("took_over_from"),
                                                                  d.get("freed_from")):
                    continue
                actor = r.user_by_name(rec.actor) if rec.actor else None
                who = f"{actor.display_name} ({actor.username})" if actor else rec.actor
                did = "tomó" if d.get("took_over_from") else "liberó"
                said = f" Motivo: {d['reason']}." if d.get("reason") else ""
                return f"{who} {did} la ventanilla {row.counter}.{said}"
            return None

        return await self.reads.run(read)

    # ------------------------------------------------------------------ device tokens

    def create_device_token_sync(self, role: str, name: str, counters: list[int] | None = None
                                 ) -> tuple[str, dict[str, Any]]:
        """A device token. A ``hardware`` bridge also names the counters it may act for; a
        ``survey`` tablet may name the one counter it serves, and then gets the survey of
        that counter only (a clerk who read the tablet's link cannot rate their own
        attentions at another counter with it)."""
        if role not in {str(r) for r in DEVICE_ROLES}:
            raise Invalid(f"Rol {role!r} inválido para un dispositivo; use kiosk, display, "
                          "hardware o survey.")
        name = name.strip()
        if not name:
            raise Invalid("Dé un nombre al dispositivo (p. ej. quiosco-entrada).")
        hardware = role == Role.HARDWARE
        tablet = role == Role.SURVEY
        if hardware and not counters:
            raise Invalid("Un puente de hardware necesita las ventanillas en las que actúa "
                          "(p. ej. --counters 1,2,3).")
        if counters and not (hardware or tablet):
            raise Invalid("Solo un token de hardware o de encuesta lleva ventanillas.")
        if tablet and counters and len(set(counters)) != 1:
            raise Invalid("Una tableta de encuesta atiende una sola ventanilla (p. ej. "
                          "--counters 1).")
        unknown = [n for n in counters or [] if self.desk.office.config.counter(n) is None]
        if unknown:
            raise Invalid(f"La ventanilla {unknown[0]} no existe.")
        token = new_token()

        def add(tx: Tx) -> dict[str, Any]:
            if any(t.name.lower() == name.lower() and t.revoked_at is None
                   for t in tx.tokens("device")):
                raise Conflict(f"Ya hay un dispositivo activo llamado {name!r}; elija otro "
                               "nombre o revoque primero el anterior.")
            tid = tx.insert_token(token_digest(token), "device", role, name, self.clock(),
                                  counter=counters[0] if tablet and counters else None)
            if hardware:
                tx.add_hardware_device(tid, list(counters or []))
            row = next(t for t in tx.tokens("device") if t.id == tid)
            return {**token_public(row), **({"counters": sorted(set(counters or []))}
                                            if counters else {})}

        return token, self.store.run_sync(add)

    async def create_device_token(self, role: str, name: str, counters: list[int] | None = None
                                  ) -> dict[str, Any]:
        """The new token's public fields plus ``token``, shown this once (only its hash is
        kept)."""
        token, info = await anyio.to_thread.run_sync(self.create_device_token_sync, role, name,
                                                     counters)
        return {**info, "token": token}

    async def list_device_tokens(self) -> list[dict[str, Any]]:
        return await self.reads.run(lambda r: [token_public(t) for t in r.tokens("device")])

    async def revoke_device_token(self, token_id: int) -> dict[str, Any]:
        def revoke(tx: Tx) -> list[int]:
            if not any(t.id == token_id for t in tx.tokens("device")):
                raise NotFound("Ese token no existe.")
            tx.revoke_token(token_id, self.clock())
            return tx.revoke_child_tokens(token_id, self.clock())

        for session_id in await self.store.run(revoke):
            self._forget(session_id)
        self._forget(token_id)
        return {"id": token_id, "revoked": True}

    async def open_device_session(self, token: str, role: Role) -> str | None:
        """Trade a device token (given once in a board's or tablet's link) for a session of
        its own, kept in the device's HttpOnly cookie: the raw token does not sit in a cookie
        for months, and revoking the device token ends every session opened with it.
        Returns None when the token is not a valid device token of ``role``."""
        digest = token_digest(token)
        session = new_token()

        def open_(tx: Tx) -> bool:
            row = tx.token_by_hash(digest)
            if row is None or row.kind != "device" or row.revoked_at is not None \
                    or row.role != str(role):
                return False
            now = self.clock()
            tx.insert_token(token_digest(session), "device_session", row.role, row.name, now,
                            counter=row.counter,  # a survey tablet's counter goes with it
                            expires_at=now + DEVICE_SESSION_DAYS * 86400, parent_id=row.id)
            return True

        return session if await self.store.run(open_) else None

    # ------------------------------------------------------------------ resolving

    async def resolve(self, token: str) -> Principal | None:
        digest = token_digest(token)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit and now - hit[1] < CACHE_TTL_S:
            if self.on_resolve is not None:
                self.on_resolve(hit[0])
            return hit[0]

        def lookup(r: Reader) -> Principal | None:
            row = r.token_by_hash(digest)
            if row is None or row.revoked_at is not None:
                return None
            if row.expires_at is not None and row.expires_at < self.clock():
                return None
            if row.parent_id is not None:
                parent = r.token_by_id(row.parent_id)
                if parent is None or parent.revoked_at is not None:
                    return None
            if row.user_id is not None:
                user = r.user_by_id(row.user_id)
                if user is None or not user.active:
                    return None
                return Principal(Role(row.role), user.username, user.display_name, row.id,
                                 user.id, row.counter, row.csrf)
            counters = (r.device_counters(row.id) if row.role == Role.HARDWARE
                        else frozenset({row.counter}) if row.counter is not None
                        else frozenset())
            return Principal(Role(row.role), row.name, row.name, row.id, counters=counters)

        principal = await self.reads.run(lookup)
        if principal is None:
            self._cache.pop(digest, None)
        else:
            self._cache[digest] = (principal, now)
            if self.on_resolve is not None:
                self.on_resolve(principal)
        return principal

    def _forget(self, token_id: int) -> None:
        """Drop a revoked token from the cache and close the live sockets it opened."""
        if self._on_revoke is not None:
            self._on_revoke(token_id)
        for digest, (p, _) in list(self._cache.items()):
            if p.token_id == token_id:
                del self._cache[digest]
