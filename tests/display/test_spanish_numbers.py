"""Numbers and phrases as people say them: "Turno A veintitrés, ventanilla tres"."""

from __future__ import annotations

import pytest

from display.spanish_numbers import (
    announcement_text,
    letter_name,
    letter_names,
    number_to_words,
    sounds_like,
    spoken_ticket,
)
from server.config import DEMO_CONFIG, config_from_dict, parse_config
from server.errors import ConfigError


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
    assert announcement_text("B-104", 1) == "Turno be larga ciento cuatro, ventanilla uno"
    assert letter_name("C") == "ce"
    assert sounds_like(letter_name("V")) != sounds_like(letter_name("B"))
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


def test_letters_have_their_colombian_names() -> None:
    assert (letter_name("V"), letter_name("B")) == ("ve corta", "be larga")
    assert (letter_name("Y"), letter_name("W")) == ("i griega", "doble ve")
    assert announcement_text("V-012", 2) == "Turno ve corta doce, ventanilla dos"


def test_no_two_tickets_sound_the_same_across_letters() -> None:
    """B-012 and V-012 must not sound alike: B and V are one sound in Latin American Spanish,
    so every (letter, number) call is compared as it is heard."""
    heard: dict[str, str] = {}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for n in range(1000):
            number = f"{letter}-{n:03d}"
            sound = sounds_like(spoken_ticket(number))
            assert sound not in heard, (number, heard.get(sound))
            heard[sound] = number
    assert sounds_like("be") == sounds_like("ve")


def test_an_office_may_shorten_the_names_but_not_merge_b_and_v() -> None:
    names = letter_names({"v": "ve", "Y": "ye"})
    assert announcement_text("V-001", 1, names=names) == "Turno ve uno, ventanilla uno"
    assert letter_name("B", names) == "be larga"
    with pytest.raises(ValueError, match="B y V sonarían igual"):
        letter_names({"B": "be", "V": "ve"})
    with pytest.raises(ValueError, match="solo letras"):
        letter_names({"V": "ve; rm -rf"})


def test_the_office_file_sets_the_letter_names_and_refuses_homophones() -> None:
    base = DEMO_CONFIG.read_text(encoding="utf-8")
    cfg = parse_config(base + '\n[speech]\nletters = { V = "ve" }\n')
    assert dict(cfg.spoken_letters) == {"V": "ve"}
    assert config_from_dict(cfg.to_dict()).spoken_letters == cfg.spoken_letters
    with pytest.raises(ConfigError, match="sonarían igual"):
        parse_config(base + '\n[speech]\nletters = { B = "be", V = "ve" }\n')
