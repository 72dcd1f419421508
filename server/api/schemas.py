"""The JSON the API answers with, as pydantic models: the OpenAPI at /api/v1/openapi.json
documents from these what kiosks, boards, the panel, the hardware bridge and integrators get.

The field names are a contract (see ``server/views.py``): extend, never rename. Models accept
fields they do not list (``extra="allow"``) and pass them through unchanged, so a field added
by a use case is never dropped from an answer; the schema test (``tests/server/
test_api_contract.py``) fails when an answer carries a field that is not documented here.

Families, as in the FastAPI template: ``TicketPublic`` (what a citizen's phone sees) and
``TicketStaff`` (the full view), ``CounterState``, ``QueueOverview``, … Error answers are
``ErrorBody``; ``error_responses(...)`` declares a route's error statuses for the OpenAPI.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from server.auth import Role
from server.config import MAX_COUNTER_NUMBER
from server.queue.model import Outcome, PolicyMode, Status

# --------------------------------------------------------------------------- enums


class PauseReason(StrEnum):
    """Why a counter is paused (labels in Spanish on the panel)."""

    BREAK = "break"
    LUNCH = "lunch"
    OTHER_TASK = "other_task"
    OTHER = "other"


class CounterStateName(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class UserRole(StrEnum):
    """Roles of people (signed in with a password)."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class DeviceRole(StrEnum):
    """Roles of devices (signed in with a device token)."""

    KIOSK = "kiosk"
    DISPLAY = "display"
    HARDWARE = "hardware"
    SURVEY = "survey"


class SurveyState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    NOT_READY = "not_ready"
    CLOSED = "closed"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportKind(StrEnum):
    TICKETS = "tickets"
    SUMMARY = "summary"


class ExportSeparator(StrEnum):
    COMMA = "comma"
    SEMICOLON = "semicolon"


# --------------------------------------------------------------------------- bounded numbers

#: SQLite stores integers in 64 bits: a larger number in a path or query is refused with a
#: 422 before it reaches the database (where it would overflow).
SQLITE_MAX_INT = 2**63 - 1
#: Counter numbers as the office file allows them.
MAX_COUNTER = MAX_COUNTER_NUMBER

RowId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT, description="Row id")]
CounterNumber = Annotated[int, Path(ge=0, le=MAX_COUNTER, description="Counter number")]
CounterFilter = Annotated[int | None, Query(ge=0, le=MAX_COUNTER,
                                            description="Only the services this counter serves")]
TicketId = Annotated[str, Path(min_length=1, max_length=64,
                               description="The ticket's id (the capability in its QR code)")]


# --------------------------------------------------------------------------- base


class Schema(BaseModel):
    """Base of every answer model: unknown fields pass through (never dropped)."""

    model_config = ConfigDict(extra="allow")


class TicketInHandRef(BaseModel):
    id: str
    number: str = Field(examples=["A-006"])
    status: Status


class ErrorBody(BaseModel):
    """Every error answer: ``detail`` is one or more plain-Spanish sentences. A validation
    error (422) names the fields in ``fields`` and never repeats what was sent."""

    detail: str = Field(examples=["Ese turno no existe."])
    fields: list[str] | None = Field(default=None,
                                     description="Fields that failed validation (422)")
    problems: list[str] | None = Field(
        default=None, description="PUT /admin/config: one readable line per problem (422)")
    next_opening: str | None = Field(
        default=None, description="POST /tickets when closed (409): next opening, ISO 8601")
    ticket: TicketInHandRef | None = Field(
        default=None, description="409 of next, call, pause or sign-out: the ticket still in "
                                  "hand that the request must say what to do with")
    counter: int | None = Field(
        default=None, description="403 of a survey tablet bound to another counter: its own")


_ERROR_TEXT = {
    400: "Solicitud no válida",
    401: "Sin sesión o token no válido",
    403: "Su rol o su ventanilla no permiten esta acción (o falta el token CSRF)",
    404: "No existe",
    409: "El estado actual no lo permite",
    413: "Cuerpo de la solicitud demasiado grande",
    422: "Datos no válidos (los campos se nombran en `fields`)",
    429: "Demasiados intentos; vea Retry-After",
    503: "Servicio no disponible por ahora",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status with the ``{"detail": …}`` schema."""
    return {s: {"model": ErrorBody, "description": _ERROR_TEXT[s]} for s in statuses}


# --------------------------------------------------------------------------- tickets


class TicketPublic(Schema):
    """What anyone holding the ticket's id sees (GET /tickets/{id}, the /t/<id> live feed):
    nothing about who served the citizen or which kiosk printed the ticket."""

    id: str
    number: str = Field(examples=["A-023"])
    service: str
    service_name: str
    group: str | None
    group_name: str | None
    preferential: bool
    status: Status
    outcome: Outcome | None
    issued_at: str | None = Field(description="Local office time, ISO 8601 with offset")
    called_at: str | None
    counter: int | None
    counter_name: str | None
    call_count: int
    transfers: int
    ahead: int | None = Field(description="People before this ticket (while waiting)")
    estimated_wait_min: int | None = Field(
        description="Minutes until the call, simulated over the open counters; null when no "
                    "open counter serves the service (see docs/estimated-wait.md)")
    counters_open: int | None = Field(
        default=None, description="Counters with someone signed in that serve the service "
                                  "(while waiting)")
    wait_note: str | None = Field(
        default=None, description="Why there is no estimate, in plain Spanish (\"Aún no hay "
                                  "ventanillas abiertas para este servicio.\")")
    status_url: str = Field(description="The citizen's page (the QR code)")


class TicketStaff(TicketPublic):
    """The full ticket view, for staff, kiosks and live events."""

    queued_at: str | None = Field(description="Place in line (kept across transfers)")
    first_called_at: str | None
    started_at: str | None
    finished_at: str | None
    clerk: str | None
    kiosk: str | None
    first_service: str | None = Field(default=None, description="Before the first transfer")
    first_counter: int | None = Field(
        default=None, description="The counter that called it before the first transfer")
    first_clerk: str | None = Field(
        default=None, description="The clerk who called it before the first transfer")


class TicketIssued(TicketStaff):
    replayed: bool = Field(description="True when a retry with the same request_id got the "
                                       "ticket issued the first time")


class ClosedPrevious(Schema):
    id: str
    number: str
    outcome: Outcome


class CallReason(Schema):
    rule: str = Field(description="Which rule chose the ticket (audit log)")
    reason: str = Field(description="Why, in plain Spanish")


class CalledTicket(TicketStaff):
    """POST /counters/{n}/next and /call: the ticket now called at the counter."""

    closed_previous: ClosedPrevious | None = Field(
        description="The ticket that was in hand and was closed first, if any")
    call_reason: CallReason | None
    repeated: bool = Field(description="True when nothing was called because the counter "
                                       "already held this ticket (a double click)")


class HistoryEntry(Schema):
    seq: int
    at: str | None
    type: str = Field(examples=["ticket.called"])
    counter: int | None
    actor: str | None
    actor_role: str | None
    detail: dict[str, Any] | None


class PrintStatus(Schema):
    ticket: str
    printed: bool


# --------------------------------------------------------------------------- counters


class CounterState(Schema):
    number: int
    name: str
    services: list[str]
    state: CounterStateName
    clerk: str | None
    clerk_name: str | None
    pause_reason: PauseReason | None
    since: str | None
    ticket: TicketStaff | None = Field(description="The ticket in hand, if any")


class CounterLine(CounterState):
    """A counter in the queue overview, with the line it serves."""

    waiting: int
    waiting_preferential: int
    longest_wait_min: float


class ServiceName(Schema):
    code: str
    name: str


class PublicCounter(Schema):
    number: int
    name: str
    services: list[ServiceName]


# --------------------------------------------------------------------------- office


class Service(Schema):
    code: str = Field(examples=["A"])
    name: str
    description: str
    target_wait_min: int
    active: bool
    default_service_min: float


class Group(Schema):
    code: str
    name: str
    enabled: bool


class Opening(Schema):
    open: bool
    open_all_hours: bool
    next_opening: str | None
    message: str | None = Field(description="Plain Spanish, when closed")


class BoardConfig(Schema):
    code: str
    name: str
    services: list[str]
    counters: list[int]


class Option(Schema):
    code: str
    label: str


class Question(Schema):
    code: str
    text: str
    options: list[Option]


class Characterization(Schema):
    enabled: bool
    questions: list[Question]


class Hours(Schema):
    """Opening periods per weekday ("HH:MM-HH:MM"), and closed dates (YYYY-MM-DD)."""

    monday: list[str]
    tuesday: list[str]
    wednesday: list[str]
    thursday: list[str]
    friday: list[str]
    saturday: list[str]
    sunday: list[str]
    closed_dates: list[str]
    national_holidays: bool = Field(
        default=True, description="Closed on Colombia's public holidays")


class Holiday(Schema):
    """One of Colombia's public holidays."""

    date: str = Field(examples=["2026-01-12"])
    name: str = Field(examples=["Día de los Reyes Magos (observado)"])


class NoShowRule(Schema):
    """The grace before a called ticket may be marked absent (docs/priority-policy.md)."""

    min_calls_before_no_show: int = Field(ge=1, le=10)
    no_show_after_s: int = Field(ge=0, le=1800, description="Seconds after the first call")


class Office(Schema):
    name: str
    timezone: str
    hours: Hours
    ticket_footer: list[str]
    board_message: str
    boards: list[BoardConfig]
    opening: Opening
    characterization: Characterization
    qr_warning: str | None = Field(
        description="Set when the QR codes point to this machine only (no --public-url)")
    no_show_rule: NoShowRule
    spoken_letters: dict[str, str] = Field(
        default_factory=dict,
        description="Letter names the office changed ([speech] letters, e.g. {\"V\": \"ve\"}); "
                    "a kiosk reading a ticket aloud applies them as the board does")


class ServiceLine(Schema):
    code: str
    name: str
    active: bool
    target_wait_min: int
    waiting: int
    preferential: int
    general: int
    longest_wait_min: float
    over_target: bool


class QueueAlert(Schema):
    kind: str = Field(examples=["no_open_counter", "over_target"])
    service: str
    message: str = Field(description="Plain Spanish, for the supervisor")


class QueueOverview(Schema):
    at: str | None
    day: str
    opening: Opening
    waiting_total: int
    services: list[ServiceLine]
    counters: list[CounterLine]
    alerts: list[QueueAlert] = Field(description="A line nobody can call first, then waits "
                                                 "past their target")


class DayClosed(Schema):
    closed: int = Field(description="Tickets that ended as not attended")


# --------------------------------------------------------------------------- sessions


class Me(Schema):
    role: Role
    username: str
    display_name: str
    counter: int | None


class SignedIn(Me):
    token: str
    csrf: str = Field(description="Send it as X-CSRF-Token with cookie-authenticated writes")
    expires_at: float = Field(description="POSIX seconds")


class SessionEnded(Schema):
    taken: bool = Field(description="True when another person took over or freed the "
                                    "counter of this browser's session")
    detail: str | None = Field(description="Who did it and why, in plain Spanish")


class SignedOut(Schema):
    ok: bool
    detail: str | None = Field(default=None, description="Why not (devices do not sign out)")


# --------------------------------------------------------------------------- admin


class OfficeFacts(Schema):
    name: str
    timezone: str
    ticket_footer: list[str]
    board_message: str


class Priority(Schema):
    mode: PolicyMode
    preferential_in_row: int
    max_wait_min: int
    min_calls_before_no_show: int
    no_show_after_s: int


class CounterConfig(Schema):
    number: int
    name: str
    services: list[str]


class SpeechConfig(Schema):
    """Spoken letter names the office changed ({"V": "ve"}); the rest keep their Colombian
    names ("be larga", "ve corta", "i griega", "doble ve")."""

    letters: dict[str, str]


class OfficeConfigDoc(Schema):
    """The office configuration in the TOML file's shape."""

    office: OfficeFacts
    hours: Hours
    priority: Priority
    services: list[Service]
    counters: list[CounterConfig]
    groups: list[Group]
    boards: list[BoardConfig]
    characterization: Characterization
    speech: SpeechConfig


class User(Schema):
    id: int
    username: str
    display_name: str
    role: UserRole
    active: bool


class DeviceToken(Schema):
    id: int
    name: str
    role: DeviceRole
    created_at: float = Field(description="POSIX seconds")
    revoked: bool


class DeviceTokenCreated(DeviceToken):
    token: str = Field(description="Shown once: only its hash is kept")
    counters: list[int] | None = Field(default=None,
                                       description="role hardware: the counters it acts for")


class TokenRevoked(Schema):
    id: int
    revoked: bool


# --------------------------------------------------------------------------- statistics


class Distribution(Schema):
    """Minutes: count, mean, median, p90, max (null when there is no data)."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None
    max: float | None


class WithinTarget(Schema):
    count: int
    of: int
    share: float | None


class Satisfaction(Schema):
    answers: int
    average: float | None
    distribution: dict[str, int] = Field(description="Answers per rating, \"1\" … \"5\"")
    response_rate: float | None


class Indicators(Schema):
    issued: int
    served: int
    no_show: int
    transferred: int
    not_attended: int
    cancelled: int
    in_progress: int
    wait_min: Distribution
    service_min: Distribution
    within_target: WithinTarget
    satisfaction: Satisfaction


class IndicatorRow(Indicators):
    key: str | int | None = Field(description="The value of the dimension (service code, "
                                              "counter number, hour, …)")
    label: str
    target_wait_min: int | None = Field(default=None, description="by=service only")


class Classes(Schema):
    preferential: Indicators
    general: Indicators


class StatsFilters(Schema):
    service: str | None
    counter: int | None
    clerk: str | None
    group: str | None
    characterization: dict[str, str]


class StatsSummary(Schema):
    from_: str = Field(alias="from")
    to: str
    by: str
    by_name: str
    filters: StatsFilters
    total: Indicators
    classes: Classes
    rows: list[IndicatorRow]
    definitions: dict[str, str]


class Alert(Schema):
    at: str
    kind: str
    device: str | None
    ticket: str | None
    message: str


class StatsToday(Schema):
    day: str
    issued: int
    served: int
    no_show: int
    cancelled: int
    not_attended: int
    waiting: int
    in_progress: int
    transferred: int
    satisfaction_average: float | None
    satisfaction_answers: int
    alerts: list[Alert]


class ServiceOption(Schema):
    code: str
    name: str
    target_wait_min: int


class CounterOption(Schema):
    number: int
    name: str


class GroupOption(Schema):
    code: str
    name: str


class ClerkOption(Schema):
    username: str
    name: str


class StatsOptions(Schema):
    services: list[ServiceOption]
    counters: list[CounterOption]
    groups: list[GroupOption]
    clerks: list[ClerkOption]
    characterization: Characterization
    dimensions: list[str]


# --------------------------------------------------------------------------- hardware


class StatusReceived(Schema):
    received: bool
    changes: int = Field(description="Ports that went down or came back with this report")
    report_every_s: float = Field(description="When to report again, in seconds")


class PortState(Schema):
    name: str
    port: str
    connected: bool
    error: str | None
    counter: int | None
    board: str | None


class Bridge(Schema):
    name: str
    counters: list[int]
    last_seen: str | None
    silent: bool = Field(description="True when it stopped reporting")
    displays: list[PortState]
    buttons: list[PortState]
    alert: bool


# --------------------------------------------------------------------------- survey


class Rating(Schema):
    value: int
    label: str


class SurveyStatus(Schema):
    ticket: str
    number: str
    state: SurveyState
    ratings: list[Rating]
    reasons: list[Option]


class SurveyAnswered(Schema):
    ticket: str
    number: str
    state: SurveyState
    rating: int
    reason: str | None


# --------------------------------------------------------------------------- audit view


class StoryEntry(Schema):
    at: str | None
    type: str = Field(examples=["ticket.called"])
    text: str = Field(description="What happened, who acted and why, in plain Spanish")


class TicketStory(Schema):
    """GET /audit/tickets: a ticket found by its number and day, with its history."""

    ticket: TicketStaff
    history: list[StoryEntry]
