"""The centre's use cases. Synchronous (psycopg): routes run them in a worker thread, never
on the event loop — except ``sign_in``, whose throttle decision is taken on the loop before
the password check goes to a thread (as the office's sign-in does)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio

from central import opendata
from central.catalog import labels_of
from central.figures import Finished, OfficeNames, finish, parse_by, summary_json
from central.records import OFFICE_CODE_RE, validate_batch
from central.refusals import Forbidden, Unauthorized
from central.storage import CentralStore, month_start, next_month
from server.auth import Passwords, new_token, token_digest
from server.errors import Invalid, NotFound, TooManyAttempts
from server.queue.stats_query import parse_range
from server.queue.stats_tables import TICKET_HEADER, ticket_header, ticket_records
from server.security.throttle import LoginThrottle
from server.services import export
from server.storage.stats import PAIR_SEP

SESSION_HOURS = 12
ROLES = ("supervisor", "admin")


log = logging.getLogger("turnero.central")


def _office_token() -> str:
    token = new_token()
    while token.startswith("-"):  # so it can follow --central-token on a command line
        token = new_token()
    return token


@dataclass(frozen=True)
class CentralSettings:
    database: str
    host: str = "127.0.0.1"
    port: int = 8100
    #: Open data: no published cell is built from fewer tickets than this.
    min_count: int = 10
    #: An office that has not sent for this long is shown as late.
    late_after_hours: float = 24.0


@dataclass(frozen=True)
class Caller:
    kind: str  # "office" or "user"
    name: str  # office code or username
    role: str  # "office", "supervisor" or "admin"


class CentralService:
    def __init__(self, store: CentralStore, settings: CentralSettings,
                 passwords: Passwords | None = None, throttle: LoginThrottle | None = None
                 ) -> None:
        self.store = store
        self.settings = settings
        self.passwords = passwords or Passwords()
        self.throttle = throttle or LoginThrottle()

    # ------------------------------------------------------------------ set-up

    def add_office(self, code: str, name: str, actor: str = "") -> str:
        """Register an office; returns its token (shown once, stored hashed)."""
        if not OFFICE_CODE_RE.match(code):
            raise Invalid(f"Código de oficina {code!r} no válido: letras, dígitos, - o _ "
                          "(máx. 32).")
        if not name.strip():
            raise Invalid("El nombre de la oficina no puede estar vacío.")
        token = _office_token()
        self.store.add_office(code, name.strip(), token_digest(token), actor)
        return token

    def rotate_office_token(self, code: str, actor: str) -> str:
        """A new token for an office (a token leaked, a technician left); the old one is
        refused from now on. Returns the new token (shown once, stored hashed); the audit
        records who rotated it, never the token."""
        token = _office_token()
        if not self.store.replace_office_token(code, token_digest(token), actor):
            raise NotFound(f"La oficina {code!r} no está registrada en la central.")
        log.warning("central: token de la oficina %s renovado por %s; el anterior ya no sirve",
                    code, actor or "?")
        return token

    def add_user(self, username: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise Invalid(f"Rol {role!r} no válido; use supervisor o admin.")
        if len(password) < 10:
            raise Invalid("La contraseña debe tener al menos 10 caracteres.")
        self.store.add_user(username, role, self.passwords.hash(password))

    # ------------------------------------------------------------------ who is calling

    async def sign_in(self, username: str, password: str, address: str = "") -> dict[str, Any]:
        """A session token. Runs on the event loop, like the office's sign-in: the throttle
        (per user name and address, and per address) admits or refuses the attempt there,
        without awaiting, so N simultaneous wrong passwords are counted one by one and only
        the admitted ones go to a worker thread for the database and the password hash."""
        admission = self.throttle.admit(username, address)
        if not admission.admitted:
            raise TooManyAttempts(admission.wait_s)
        session = await anyio.to_thread.run_sync(self._check_and_open, username, password)
        if session is None:
            raise Unauthorized("Usuario o contraseña incorrectos.")
        self.throttle.succeeded(username, address)
        return session

    def _check_and_open(self, username: str, password: str) -> dict[str, Any] | None:
        """Verify the password (argon2, also for an unknown name: the same cost) and open a
        12-hour session; None when the name or the password is wrong."""
        user = self.store.user_by_name(username)
        if not self.passwords.verify(password, user[2] if user else None) or user is None:
            return None
        token = new_token()
        expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
        self.store.add_session(token_digest(token), user[0], expires)
        return {"token": token, "username": username, "role": user[1],
                "expires_at": expires.isoformat(timespec="seconds")}

    def logout(self, token: str) -> None:
        self.store.end_session(token_digest(token))

    def caller(self, token: str | None) -> Caller | None:
        if not token:
            return None
        digest = token_digest(token)
        office = self.store.office_for_token(digest)
        if office is not None:
            return Caller("office", office, "office")
        user = self.store.session_user(digest)
        return None if user is None else Caller("user", user[0], user[1])

    def office_of(self, caller: Caller | None) -> dict[str, str]:
        code = self.require_office(caller)
        names, _ = self._names()
        return {"code": code, "name": names.offices.get(code, code)}

    # ------------------------------------------------------------------ ingest

    def receive(self, office: str, raw: bytes) -> dict[str, Any]:
        """Store a batch (JSON bytes) from ``office``; idempotent: a replay changes nothing.
        Decoded here, in a worker thread: a large batch never holds up the event loop."""
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise Invalid("El lote no es JSON válido.") from None
        catalog, records = validate_batch(body, office)
        accepted = self.store.ingest(office, catalog, records, datetime.now(UTC))
        return {"office": office, "accepted": accepted}

    # ------------------------------------------------------------------ reads

    def _names(self) -> tuple[OfficeNames, list[tuple[str, str, datetime | None,
                                                        dict[str, Any]]]]:
        offices = self.store.offices()
        return (OfficeNames({c: n for c, n, _, _ in offices}, {c: cat for c, _, _, cat
                                                               in offices}), offices)

    def offices(self) -> dict[str, Any]:
        names, offices = self._names()
        counts = self.store.record_counts()
        now = datetime.now(UTC)
        late_after = timedelta(hours=self.settings.late_after_hours)
        return {"late_after_hours": self.settings.late_after_hours, "offices": [
            {"code": code, "name": name,
             "last_send_at": last.isoformat(timespec="seconds") if last else None,
             "records": counts.get(code, 0),
             "late": last is None or now - last > late_after}
            for code, name, last, _catalog in offices]}

    def _check_office(self, office: str | None, names: OfficeNames) -> str | None:
        if not office:
            return None
        if office not in names.offices:
            raise NotFound(f"La oficina {office!r} no está registrada en la central.")
        return office

    def finished(self, by: str, start: date, end: date, office: str | None) -> Finished:
        """The figures of tickets issued on days start..end. Whole months across all offices
        (the dashboard's month, a year's report) are computed once from the monthly rollups
        and stored until a batch for one of those months arrives; whole months of one office
        are merged from the rollups, any other range is read from the tickets themselves."""
        stop = end + timedelta(days=1)
        whole_months = by != "day" and start.day == 1 and stop.day == 1
        if whole_months and office is None:
            return self.stored(by, start, stop)
        return finish(self.store.grouped(by, start, stop, office, whole_months),
                      by == "office")

    def stored(self, by: str, start: date, stop: date) -> Finished:
        body = self.store.stored_summary(by, start, stop)
        if body is not None:
            return Finished.from_json(body)
        generation, settled, rows = self.store.range_groups(by, start, stop)
        figures = finish(rows, by == "office")
        if settled and rows:  # no batch waiting: the figures hold until the next batch
            self.store.save_summary(by, start, stop, generation, figures.to_json())
        return figures

    def summary(self, start_s: str | None, end_s: str | None, by_s: str | None,
                office_s: str | None) -> dict[str, Any]:
        start, end = parse_range(start_s, end_s)
        by = parse_by(by_s)
        names, _ = self._names()
        office = self._check_office(office_s, names)
        return summary_json(self.finished(by, start, end, office), by, start, end, office,
                            names)

    def open_data(self) -> list[dict[str, Any]]:
        """Every complete month so far (the current month is published once it ends), from
        each month's stored figures by office and service."""
        names, _ = self._names()
        this_month = month_start(datetime.now(UTC).date())
        figures = {f"{month:%Y-%m}/{key}": row
                   for month in self.store.months_with_tickets(this_month)
                   for key, row in self.stored("office_service", month,
                                               next_month(month)).rows.items()}
        return opendata.monthly_rows(figures, names, self.settings.min_count)

    def open_data_csv(self) -> Iterator[bytes]:
        rows = self.open_data()
        return export.csv_chunks(opendata.HEADER_ES,
                                 ([r[c] for c in opendata.COLUMNS] for r in rows))

    def open_data_json(self) -> bytes:
        return json.dumps({"min_count": self.settings.min_count,
                           "columns": list(opendata.COLUMNS), "rows": self.open_data()},
                          ensure_ascii=False).encode("utf-8")

    # ------------------------------------------------------------------ exports

    def _export_plan(self, start_s: str | None, end_s: str | None, office_s: str | None
                     ) -> tuple[date, date, list[tuple[str, str, dict[str, Any]]], list[str]]:
        start, end = parse_range(start_s, end_s)
        names, offices = self._names()
        office = self._check_office(office_s, names)
        chosen = [(c, n, cat) for c, n, _, cat in offices if office in (None, c)]
        if office:
            header = ["Código de la oficina", "Oficina", *ticket_header(labels_of(chosen[0][2]))]
        else:  # characterization questions differ per office: filter by office for them
            header = ["Código de la oficina", "Oficina", *TICKET_HEADER]
        return start, end, chosen, header

    def _records(self, start: date, end: date, chosen: list[tuple[str, str, dict[str, Any]]],
                 width: int) -> Iterator[list[Any]]:
        for code, name, catalog in chosen:
            labels = labels_of(catalog)
            tz = ZoneInfo(catalog.get("timezone") or "America/Bogota")

            def each(rows: Iterator[tuple[Any, ...]], labels: Any = labels, tz: Any = tz,
                     code: str = code, name: str = name) -> Iterator[list[Any]]:
                raw = ((*r[:17], PAIR_SEP.join(f"{q}={a}" for q, a in r[17].items()),
                        *r[18:]) for r in rows)
                for rec in ticket_records(raw, labels, tz, PAIR_SEP):
                    yield [code, name, *rec][:width]

            yield from self.store.ticket_rows(code, start, end + timedelta(days=1), each)

    @staticmethod
    def filename(start_s: str | None, end_s: str | None, fmt: str) -> str:
        return f"central_turnos_{start_s}_{end_s}.{fmt}"

    def export_csv(self, start_s: str | None, end_s: str | None, office_s: str | None,
                   spanish_excel: bool) -> Iterator[bytes]:
        start, end, chosen, header = self._export_plan(start_s, end_s, office_s)

        def chunks() -> Iterator[bytes]:
            yield from export.csv_chunks(header, self._records(start, end, chosen,
                                                               len(header)),
                                         spanish_excel=spanish_excel)
        return chunks()

    def export_xlsx(self, start_s: str | None, end_s: str | None, office_s: str | None,
                    path: Path) -> int:
        start, end, chosen, header = self._export_plan(start_s, end_s, office_s)
        return export.write_xlsx(path, [("Turnos", header,
                                         self._records(start, end, chosen, len(header)))])

    def require_user(self, caller: Caller | None) -> Caller:
        if caller is None:
            raise Unauthorized("Inicie sesión en la central o use un token válido.")
        if caller.kind != "user":
            raise Forbidden("El token de una oficina solo sirve para enviar registros.")
        return caller

    def require_office(self, caller: Caller | None) -> str:
        if caller is None:
            raise Unauthorized("Falta el token de la oficina (Authorization: Bearer …) o no "
                               "es válido.")
        if caller.kind != "office":
            raise Forbidden("Solo una oficina, con su token, puede enviar registros.")
        return caller.name


__all__ = ["CentralService", "CentralSettings", "Caller", "next_month"]
