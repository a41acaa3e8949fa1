from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.languages import language_code
from bot.messages import Message, msg, params_from_json, params_to_json, plain, render
from bot.text import normalise, plain_cell, safe_cell, split_list
from bot.timezones import resolve_timezone


def test_normalise_removes_invisible_and_bidi_and_control_characters() -> None:
    assert normalise("Ma\u200bria\u202e \x07 de\u2066 la\tCruz\n") == "Maria de la Cruz"


def test_normalise_applies_nfkc() -> None:
    assert normalise("ｆｕｌｌ　ｗｉｄｔｈ ﬁ") == "full width fi"


def test_split_list_handles_separators_and_duplicates() -> None:
    assert split_list("Books; music / Books, gardening and art") == [
        "Books", "music", "gardening", "art",
    ]  # fmt: skip


def test_language_names_and_codes() -> None:
    assert language_code("Español") == "es"
    assert language_code(" EN ") == "en"
    assert language_code("Klingon") is None


def test_timezone_from_zone_city_and_offset() -> None:
    assert resolve_timezone("America/Chicago") == "America/Chicago"
    assert resolve_timezone("america/chicago") == "America/Chicago"
    assert resolve_timezone("new york") == "America/New_York"
    assert resolve_timezone("London") == "Europe/London"
    assert resolve_timezone("UTC+2") == "Etc/GMT-2"
    assert resolve_timezone("-6") == "Etc/GMT+6"
    assert resolve_timezone("GMT+5:30") == "Asia/Kolkata"
    assert resolve_timezone("utc") == "UTC"
    assert resolve_timezone("Atlantis") is None
    assert resolve_timezone("UTC+20") is None


def test_render_escapes_literals_and_parameters_and_marks_bold() -> None:
    message = msg("coord.approved", id=3, name="<b>Ann</b>")
    html = render(message, escape=lambda s: s.replace("<", "&lt;"), bold=lambda s: f"[{s}]")
    assert "&lt;b>Ann&lt;/b>" in html
    bolded = render(msg("signup.ask.consent", version="v1"), bold=lambda s: f"[{s}]")
    assert bolded.startswith("[The program's guidelines] (version v1)")


def test_nested_messages_survive_json() -> None:
    params = {"status": msg("status.active"), "n": 2, "items": ["a", "b"]}
    back = params_from_json(params_to_json(params))
    assert back["status"] == Message("status.active", {})
    assert plain(Message("literal", {"text": back["status"]})) == "active"


@given(st.text(max_size=12))
def test_a_spreadsheet_cell_never_starts_a_formula_and_reads_back_as_written(value: str) -> None:
    cell = safe_cell(value)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert plain_cell(cell) == value
    if not value.startswith(("=", "+", "-", "@", "\t", "\r", "'")):
        assert cell == value  # ordinary values are exported as they are


def test_quotes_that_belong_to_a_value_survive_the_round_trip() -> None:
    assert safe_cell("'=x") == "''=x" and plain_cell("''=x") == "'=x"
    assert safe_cell("'quoted'") == "'quoted'" and plain_cell("'quoted'") == "'quoted'"
