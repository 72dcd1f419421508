"""The Spanish sentences of the HTTP layer (pure functions of pydantic's error records)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from server.api import messages
from server.api.schemas import PauseReason


class Body(BaseModel):
    service: str = Field(max_length=8)
    rating: int = Field(ge=1, le=5)
    reason: PauseReason
    characterization: dict[str, str] = {}


def errors_for(data: dict[str, object]) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        Body.model_validate(data)
    return [dict(e) for e in info.value.errors()]


@pytest.mark.parametrize(("data", "expected"), [
    ({"rating": 3, "reason": "lunch"}, "Falta «service»."),
    ({"service": "ABCDEFGHIJ", "rating": 3, "reason": "lunch"},
     "«service» admite como máximo 8 caracteres."),
    ({"service": "A", "rating": 9, "reason": "lunch"}, "«rating» debe ser menor o igual a 5."),
    ({"service": "A", "rating": "tres", "reason": "lunch"}, "«rating» debe ser un número entero."),
    ({"service": "A", "rating": 3, "reason": "siesta"},
     "«reason» debe ser uno de: break, lunch, other_task, other."),
    ({"service": ["A"], "rating": 3, "reason": "lunch"}, "«service» debe ser un texto."),
])
def test_each_error_is_one_sentence_naming_the_field(data: dict[str, object],
                                                     expected: str) -> None:
    assert [messages.sentence(e) for e in errors_for(data)] == [expected]


def test_nothing_sent_comes_back() -> None:
    secret = "contraseña-secreta" * 100
    errors = errors_for({"service": secret, "rating": secret, "reason": secret,
                         "characterization": {secret: 5, "edad": 7}})
    detail, fields = messages.validation_detail(errors)
    assert secret not in detail and "contraseña" not in " ".join(fields)
    # A key the caller made up is not repeated; a plain one is.
    assert "characterization.…" in fields and "characterization.edad" in fields
    assert detail.startswith("Datos no válidos. ")


def test_many_errors_are_counted_not_listed() -> None:
    errors = [{"type": "missing", "loc": ("body", f"campo{i}")} for i in range(9)]
    detail, fields = messages.validation_detail(errors)
    assert detail.count("Falta") == messages.MAX_SENTENCES and "Y 4 problema(s) más." in detail
    assert len(fields) == 9


def test_framework_english_is_replaced_and_our_spanish_kept() -> None:
    assert messages.http_detail(404, "Not Found") == "No encontramos esa dirección."
    assert messages.http_detail(400, "There was an error parsing the body") == \
        "Solicitud no válida."
    assert messages.http_detail(403, "Su rol no permite esta acción.") == \
        "Su rol no permite esta acción."
    assert messages.too_large(64 * 1024) == \
        "La solicitud es demasiado grande: el máximo es 64 KB."
