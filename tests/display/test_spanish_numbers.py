"""Numbers and phrases as people say them: "Turno A veintitrés, ventanilla tres"."""

from __future__ import annotations

import pytest

from display.spanish_numbers import announcement_text, letter_name, number_to_words


@pytest.mark.parametrize(("n", "words"), [
    (0, "cero"), (1, "uno"), (7, "siete"), (10, "diez"), (15, "quince"), (16, "dieciséis"),
    (20, "veinte"), (21, "veintiuno"), (22, "veintidós"), (23, "veintitrés"),
    (26, "veintiséis"), (30, "treinta"), (31, "treinta y uno"), (45, "cuarenta y cinco"),
    (99, "noventa y nueve"), (100, "cien"), (101, "ciento uno"), (110, "ciento diez"),
    (121, "ciento veintiuno"), (200, "doscientos"), (500, "quinientos"),
    (555, "quinientos cincuenta y cinco"), (700, "setecientos"), (900, "novecientos"),
    (999, "novecientos noventa y nueve"), (1000, "mil"), (1001, "mil uno"),
    (1100, "mil cien"), (2000, "dos mil"), (2023, "dos mil veintitrés"),
    (21000, "veintiún mil"), (31000, "treinta y un mil"), (100000, "cien mil"),
    (101000, "ciento un mil"),
])
def test_number_to_words(n: int, words: str) -> None:
    assert number_to_words(n) == words


@pytest.mark.parametrize("bad", [-1, 1_000_000])
def test_number_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        number_to_words(bad)


def test_announcement_reads_the_number_as_people_say_it() -> None:
    assert announcement_text("A-023", 3, "Ventanilla 3") == "Turno A veintitrés, ventanilla tres"


def test_leading_zeros_are_not_read() -> None:
    text = announcement_text("A-007", 3, "Ventanilla 3")
    assert text.startswith("Turno A siete,")
    assert "cero" not in text


def test_letters_are_spelled_with_their_spanish_names() -> None:
    assert announcement_text("B-104", 1) == "Turno be ciento cuatro, ventanilla uno"
    assert letter_name("C") == "ce"
    assert letter_name("V") != letter_name("B")  # "uve" and "be" never sound alike
    assert announcement_text("E-1000", 6, "Ventanilla 6") == "Turno E mil, ventanilla seis"


def test_counter_names_are_read_naturally() -> None:
    assert announcement_text("D-012", 12, "Módulo 12") == "Turno de doce, módulo doce"
    assert announcement_text("C-001", 4, "Caja preferencial") == \
        "Turno ce uno, Caja preferencial"


@pytest.mark.parametrize("bad", ["A023", "a-023", "AA-023", "A-", "A-12x", "Ñ-001", "A-0230000"])
def test_only_ticket_numbers_make_a_phrase(bad: str) -> None:
    with pytest.raises(ValueError):
        announcement_text(bad, 1)


def test_no_two_numbers_sound_the_same() -> None:
    """Every ticket number up to 9999 gets its own words, with no stray "cero" or spaces."""
    seen: dict[str, int] = {}
    for n in range(10_000):
        words = number_to_words(n)
        assert words == words.strip() and "  " not in words, n
        assert n == 0 or "cero" not in words, n
        assert words not in seen, (n, seen.get(words))
        seen[words] = n
