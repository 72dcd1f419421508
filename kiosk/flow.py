"""What the kiosk is doing, as a small state machine in plain Python.

The Kivy screens only draw this state and call its methods; network and printer results come
back through it too. Keeping it free of Kivy, threads and I/O means every rule a citizen relies
on is unit-tested with a fake clock:

- one touch, one ticket: while a ticket is being issued (:attr:`KioskFlow.busy`) every further
  choice is refused, so a double touch cannot issue two tickets;
- a person who walks away is not left half-way: the idle timeout returns to the welcome screen;
- nobody leaves without their turn: the ticket stays on screen until it printed, and for
  longer (with its QR code) when it could not be printed;
- outside opening hours nothing is issued and the screen says when the office opens;
- when the server cannot be reached the kiosk says so, retries by itself and recovers;
- "Letra grande" and "Alto contraste" (:class:`Aids`) last for one citizen: they stay on
  from screen to screen and reset when the kiosk goes back to welcome for the next person.

Time is passed in (``now``, monotonic seconds) rather than read, for the same reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from kiosk import texts as tx


class Screen(StrEnum):
    WELCOME = "welcome"
    SERVICES = "services"
    GROUPS = "groups"
    TICKET = "ticket"
    CLOSED = "closed"
    OFFLINE = "offline"
    ERROR = "error"


class PrintState(StrEnum):
    PRINTING = "printing"
    PRINTED = "printed"  # the printer confirmed it (two-way link, status fine)
    UNKNOWN = "unknown"  # sent, but the printer cannot say (one-way link): not claimed printed
    FAILED = "failed"  # not printed: the ticket is shown with its QR code instead


class Fault(StrEnum):
    """Why a request to the server did not give what was asked."""

    UNREACHABLE = "unreachable"  # no answer (network, server down, timeout)
    CLOSED = "closed"  # 409 with next_opening: outside opening hours
    REFUSED = "refused"  # 4xx: e.g. the service was just deactivated
    UNAUTHORIZED = "unauthorized"  # 401/403: wrong or revoked kiosk token


@dataclass(frozen=True)
class ServiceOption:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class GroupOption:
    code: str
    name: str


@dataclass(frozen=True)
class Office:
    name: str
    open: bool = True
    closed_message: str | None = None
    footer: tuple[str, ...] = ()
    timezone: str = "America/Bogota"
    #: The office's own letter names (``[speech] letters``), as the board says them.
    spoken_letters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Catalog:
    """What the kiosk offers: only active services and enabled groups."""

    office: Office
    services: tuple[ServiceOption, ...]
    groups: tuple[GroupOption, ...]

    @classmethod
    def from_api(cls, office: dict[str, Any], services: list[dict[str, Any]],
                 groups: list[dict[str, Any]]) -> Catalog:
        opening = office.get("opening") or {}
        return cls(
            office=Office(
                name=str(office.get("name", "")),
                open=bool(opening.get("open", True)),
                closed_message=opening.get("message"),
                footer=tuple(office.get("ticket_footer") or ()),
                timezone=str(office.get("timezone") or "America/Bogota"),
                spoken_letters=tuple(sorted(
                    (str(k), str(v)) for k, v in (office.get("spoken_letters") or {}).items())),
            ),
            services=tuple(
                ServiceOption(s["code"], s["name"], s.get("description") or "")
                for s in services if s.get("active", True)
            ),
            groups=tuple(
                GroupOption(g["code"], g["name"]) for g in groups if g.get("enabled", True)
            ),
        )

    def service(self, code: str) -> ServiceOption | None:
        return next((s for s in self.services if s.code == code), None)

    def group(self, code: str) -> GroupOption | None:
        return next((g for g in self.groups if g.code == code), None)


@dataclass(frozen=True)
class Aids:
    """The reading aids a citizen turned on: larger text, high-contrast colours."""

    large_text: bool = False
    high_contrast: bool = False


#: The screens of one citizen's visit: leaving them for welcome ends the visit.
CITIZEN_SCREENS = frozenset({Screen.SERVICES, Screen.GROUPS, Screen.TICKET, Screen.ERROR})


@dataclass(frozen=True)
class IssueRequest:
    """A ticket to ask the server for; ``number`` tells replies apart. ``request_id`` is the
    idempotency key sent to the server: retrying with it can never issue a second turn."""

    service: str
    group: str | None
    number: int
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class Timing:
    idle_s: float = 30
    ticket_s: float = 10
    fallback_s: float = 60
    error_s: float = 8
    #: Short poll: a closed office or a changed service shows within seconds, before the
    #: citizen chooses (three small GETs; nothing is logged while the answers are the same).
    refresh_s: float = 5
    retry_s: float = 3
    retry_max_s: float = 15
    #: A printer that neither prints nor fails within this time is treated as failed on
    #: screen (the QR code appears), so nobody waits in front of a hung printer.
    print_timeout_s: float = 20


class KioskFlow:
    """The kiosk's state; every method takes ``now`` and returns quickly."""

    def __init__(self, timing: Timing, now: float, lang: str = "es") -> None:
        self.timing = timing
        self.t = tx.texts(lang)
        self.screen = Screen.OFFLINE
        self.catalog: Catalog | None = None
        self.connected: bool | None = None  # None: not tried yet
        self.message = self.t["connecting"]
        #: The error screen's heading and advice: an unauthorized kiosk addresses staff, once,
        #: and never tells a citizen to "try again".
        self.error_title = self.t["error_title"]
        self.error_hint = self.t["error_hint"]
        self.service: ServiceOption | None = None
        self.issuing: IssueRequest | None = None
        self.ticket: dict[str, Any] | None = None
        self.print_state: PrintState | None = None
        self.print_message = ""
        self._issued = 0
        self._last_touch = now
        self._deadline: float | None = None
        self._next_refresh = now
        self._refreshing = False
        self._failures = 0
        self.aids = Aids()

    # ------------------------------------------------------------------ what to show
    @property
    def busy(self) -> bool:
        """True while a ticket is being issued: every choice is refused meanwhile."""
        return self.issuing is not None

    @property
    def can_go_back(self) -> bool:
        """Whether "Volver" does something here (a persistent fault has nowhere to go)."""
        if self.screen == Screen.ERROR:
            return self._deadline is not None
        return self.screen in (Screen.SERVICES, Screen.GROUPS) and not self.busy

    @property
    def office_name(self) -> str:
        return self.catalog.office.name if self.catalog else ""

    @property
    def services(self) -> tuple[ServiceOption, ...]:
        return self.catalog.services if self.catalog else ()

    @property
    def groups(self) -> tuple[GroupOption, ...]:
        return self.catalog.groups if self.catalog else ()

    def prompt(self) -> str:
        """What to say aloud on this screen, for people who cannot read it."""
        t = self.t
        if self.screen == Screen.WELCOME:
            return f"{t['welcome']}. {t['touch_to_start']}."
        if self.screen == Screen.SERVICES:
            return f"{t['choose_service']} {t['choose_service_hint']}: " + "; ".join(
                s.name for s in self.services) + "."
        if self.screen == Screen.GROUPS:
            return (f"{t['preferential_question']} " + "; ".join(g.name for g in self.groups)
                    + f". {t['preferential_hint']}.")
        if self.screen == Screen.TICKET and self.ticket:
            letters = self.catalog.office.spoken_letters if self.catalog else ()
            said = (f"{t['your_turn']} {tx.spoken_number(self.ticket['number'], letters)}. "
                    f"{tx.people_ahead(self.ticket.get('ahead') or 0)}.")
            if self.print_state == PrintState.FAILED:
                return f"{said} {t['print_failed']}. {t['print_failed_hint']}"
            if self.print_state == PrintState.PRINTED:
                return f"{said} {t['printed']}"
            if self.print_state == PrintState.UNKNOWN:
                return f"{said} {t['print_unknown']}"
            return said
        if self.screen == Screen.ERROR:
            return " ".join(x for x in (f"{self.error_title}.", self.message, self.error_hint)
                            if x)
        return self.message

    def announcement_key(self) -> tuple[object, ...]:
        """Changes exactly when there is something new to say."""
        ticket = self.ticket["id"] if self.ticket and self.screen == Screen.TICKET else None
        return (self.screen, ticket, self.print_state if ticket else None, self.message)

    # ------------------------------------------------------------------ catalog refresh
    def refresh_due(self, now: float) -> bool:
        return not self._refreshing and now >= self._next_refresh

    def refresh_started(self, now: float) -> None:
        self._refreshing = True

    def request_refresh(self, now: float) -> None:
        """Refresh as soon as possible (e.g. back on the welcome screen)."""
        self._next_refresh = min(self._next_refresh, now)

    def catalog_loaded(self, catalog: Catalog, now: float) -> None:
        self._refreshing = False
        self._failures = 0
        self.connected = True
        self.catalog = catalog
        self._next_refresh = now + self.timing.refresh_s
        if self.screen in (Screen.OFFLINE, Screen.WELCOME, Screen.CLOSED) or (
                self.screen == Screen.ERROR and self._deadline is None):
            self._home(now, refresh=False)
        elif self.screen in (Screen.SERVICES, Screen.GROUPS) and not self.busy:
            if not catalog.office.open:
                self._home(now, refresh=False)
            elif self.screen == Screen.GROUPS and (
                    self.service is None or catalog.service(self.service.code) is None):
                self._go(Screen.SERVICES, now)

    def catalog_failed(self, fault: Fault, message: str, now: float) -> None:
        self._refreshing = False
        self._failures += 1
        delay = min(self.timing.retry_s * 2 ** (self._failures - 1), self.timing.retry_max_s)
        self._next_refresh = now + max(delay, self.timing.retry_s)
        if fault == Fault.UNAUTHORIZED:
            self.connected = True
            if self.screen != Screen.TICKET:
                self._unauthorized(now)
            return
        self.connected = False
        if self.screen in (Screen.WELCOME, Screen.CLOSED, Screen.OFFLINE) or (
                self.screen == Screen.ERROR and self._deadline is None):
            self._offline(now)

    # ------------------------------------------------------------------ citizen actions
    def touched(self, now: float) -> None:
        """Any touch anywhere: the person is still there."""
        self._last_touch = now

    def toggle_large_text(self, now: float) -> None:
        self.touched(now)
        self.aids = replace(self.aids, large_text=not self.aids.large_text)

    def toggle_high_contrast(self, now: float) -> None:
        self.touched(now)
        self.aids = replace(self.aids, high_contrast=not self.aids.high_contrast)

    def start(self, now: float) -> None:
        """The welcome screen was touched."""
        self.touched(now)
        if self.screen != Screen.WELCOME or self.catalog is None:
            return
        if not self.catalog.office.open:
            self._home(now)
        elif not self.catalog.services:
            self._error(self.t["no_services"], now)
        else:
            self.service = None
            self._go(Screen.SERVICES, now)

    def choose_service(self, code: str, now: float) -> IssueRequest | None:
        """A service button; returns the ticket to issue when no group question is needed."""
        self.touched(now)
        if self.screen != Screen.SERVICES or self.busy or self.catalog is None:
            return None
        service = self.catalog.service(code)
        if service is None:
            return None
        self.service = service
        if self.catalog.groups:
            self._go(Screen.GROUPS, now)
            return None
        return self._issue(service.code, None)

    def choose_group(self, code: str | None, now: float) -> IssueRequest | None:
        """A group button (None = "No"); returns the ticket to issue, at most once."""
        self.touched(now)
        if self.screen != Screen.GROUPS or self.busy or self.service is None:
            return None
        if code is not None and (self.catalog is None or self.catalog.group(code) is None):
            return None
        return self._issue(self.service.code, code)

    def back(self, now: float) -> None:
        self.touched(now)
        if self.busy:
            return
        if self.screen == Screen.GROUPS:
            self._go(Screen.SERVICES, now)
        elif self.screen == Screen.SERVICES or (
                self.screen == Screen.ERROR and self._deadline is not None):
            self._home(now)
        elif self.screen == Screen.TICKET:
            self.finish(now)

    def finish(self, now: float) -> None:
        """Done with the ticket screen ("Listo" or a touch), once printing has ended."""
        self.touched(now)
        if self.screen == Screen.TICKET and self.print_state != PrintState.PRINTING:
            self._home(now)

    # ------------------------------------------------------------------ results
    def issued(self, request: IssueRequest, ticket: dict[str, Any], now: float) -> None:
        if request != self.issuing:
            raise ValueError("issued() for a request that is not in progress")
        self.issuing = None
        self.ticket = ticket
        self.print_state = PrintState.PRINTING
        self.print_message = ""
        self._go(Screen.TICKET, now)
        self._deadline = now + self.timing.print_timeout_s

    def issue_failed(self, request: IssueRequest, fault: Fault, message: str,
                     now: float) -> None:
        if request != self.issuing:
            raise ValueError("issue_failed() for a request that is not in progress")
        self.issuing = None
        if fault == Fault.UNREACHABLE:
            self.connected = False
            self._next_refresh = now
            self._offline(now)
        elif fault == Fault.CLOSED:
            if self.catalog is not None:
                office = replace(self.catalog.office, open=False, closed_message=message)
                self.catalog = replace(self.catalog, office=office)
            self._next_refresh = now
            self._home(now)
        elif fault == Fault.UNAUTHORIZED:
            self._unauthorized(now)
        else:
            self._next_refresh = now  # the catalog is probably out of date
            self._error(message or self.t["error_title"], now)

    def printed(self, ticket_id: str, state: PrintState, message: str, now: float) -> None:
        """The printer's verdict for a ticket (maybe after the person has left the screen)."""
        if self.ticket is None or self.ticket.get("id") != ticket_id:
            return
        self.print_state = state
        self.print_message = message
        if self.screen == Screen.TICKET:
            wait = self.timing.fallback_s if state == PrintState.FAILED else self.timing.ticket_s
            self._deadline = now + wait

    def tick(self, now: float) -> None:
        """Called about once a second: timeouts."""
        if self.screen in (Screen.SERVICES, Screen.GROUPS):
            if not self.busy and now - self._last_touch >= self.timing.idle_s:
                self._home(now)
        elif self.screen == Screen.TICKET and self._deadline is not None and now >= self._deadline:
            if self.print_state == PrintState.PRINTING:
                self.printed(self.ticket["id"] if self.ticket else "", PrintState.FAILED,
                             "La impresora no respondió.", now)
            else:
                self._home(now)
        elif self.screen == Screen.ERROR and self._deadline is not None and now >= self._deadline:
            self._home(now)

    # ------------------------------------------------------------------ internals
    def _issue(self, service: str, group: str | None) -> IssueRequest:
        self._issued += 1
        self.issuing = IssueRequest(service, group, self._issued)
        return self.issuing

    def _go(self, screen: Screen, now: float) -> None:
        self.screen = screen
        self._deadline = None
        self._last_touch = now

    def _home(self, now: float, refresh: bool = True) -> None:
        """Welcome, or the screen that says why there is no welcome.

        Coming back to the welcome screen refreshes the catalog, so a change made at the
        server shows up for the next person (``refresh=False`` when it was just loaded).
        """
        self.service = None
        if self.screen in CITIZEN_SCREENS:
            self.aids = Aids()  # the next person starts with the kiosk as it normally is
        if self.catalog is None or self.connected is False:
            self._offline(now)
            return
        if not self.catalog.office.open:
            self.message = self.catalog.office.closed_message or self.t["closed_default"]
            self._go(Screen.CLOSED, now)
            return
        self.message = ""
        self._go(Screen.WELCOME, now)
        if refresh:
            self.request_refresh(now)

    def _offline(self, now: float) -> None:
        self.message = self.t["offline"] if self.connected is False else self.t["connecting"]
        self._go(Screen.OFFLINE, now)

    def _unauthorized(self, now: float) -> None:
        self._error(self.t["unauthorized"], now, timeout=False)
        self.error_title = self.t["unauthorized_title"]
        self.error_hint = ""

    def _error(self, message: str, now: float, timeout: bool = True) -> None:
        self.error_title = self.t["error_title"]
        self.error_hint = self.t["error_hint"]
        self.message = message
        self._go(Screen.ERROR, now)
        self._deadline = now + self.timing.error_s if timeout else None
