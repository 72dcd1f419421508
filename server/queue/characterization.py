"""Optional, anonymous characterization questions asked at the kiosk (enfoque diferencial).

Off by default. Never mandatory: every question also offers "Prefiero no responder", and a
skipped question is simply not stored. Answers are chosen from fixed options (no free text),
so no personal identifier can be entered (Ley 1581 de 2012).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.errors import Invalid

NO_ANSWER = "no_responde"
NO_ANSWER_LABEL = "Prefiero no responder"


@dataclass(frozen=True)
class Option:
    code: str
    label: str


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    options: tuple[Option, ...]

    @property
    def choices(self) -> tuple[Option, ...]:
        """The configured options plus the always-present "Prefiero no responder"."""
        return (*self.options, Option(NO_ANSWER, NO_ANSWER_LABEL))

    def label(self, answer: str) -> str:
        return next((o.label for o in self.choices if o.code == answer), answer)


@dataclass(frozen=True)
class Characterization:
    enabled: bool = False
    questions: tuple[Question, ...] = ()

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        """The TOML shape (stored as JSON in the database)."""
        return {
            "enabled": self.enabled,
            "questions": [
                {"code": q.code, "text": q.text,
                 "options": [{"code": o.code, "label": o.label} for o in q.options]}
                for q in self.questions
            ],
        }

    def public(self) -> dict[str, Any]:
        """What a kiosk shows: nothing to ask when disabled."""
        if not self.enabled:
            return {"enabled": False, "questions": []}
        return {
            "enabled": True,
            "questions": [
                {"code": q.code, "text": q.text,
                 "options": [{"code": o.code, "label": o.label} for o in q.choices]}
                for q in self.questions
            ],
        }

    def validate(self, answers: Mapping[str, Any] | None) -> dict[str, str]:
        """The answers to store, or Invalid (422) naming the unknown question or option."""
        if not answers:
            return {}
        if not self.enabled:
            raise Invalid("Esta oficina no hace preguntas de caracterización.")
        out: dict[str, str] = {}
        for code, answer in answers.items():
            q = self.question(code)
            if q is None:
                raise Invalid("Pregunta de caracterización desconocida.")
            if answer is None:
                continue  # skipped: nothing stored
            if not isinstance(answer, str) or all(o.code != answer for o in q.choices):
                options = ", ".join(o.code for o in q.choices)
                raise Invalid(f"Respuesta no válida para «{q.text}»; "
                              f"use una de: {options}.")
            out[code] = answer
        return out
