from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.languages import language_code
from bot.domain.text import normalise, plain_cell, safe_cell, split_list
from bot.domain.timezones import ZoneAnswer, find_zone, zone_name
from bot.messages import (
    DuplicateKeyError,
    Message,
    merged,
    msg,
    params_from_json,
    params_to_json,
    plain,
    render,
)


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


WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


def zone_of(typed: str) -> str | None:
    found = find_zone(typed, WINTER).place
    return found.zone if found else None


def test_timezone_from_zone_city_and_offset() -> None:
    assert zone_of("America/Chicago") == "America/Chicago"
    assert zone_of("america/chicago") == "America/Chicago"
    assert zone_of("new york") == "America/New_York"
    assert zone_of("London") == "Europe/London"
    assert zone_of("utc") == "UTC"
    assert zone_of("Zzyzxq") is None
    assert find_zone("UTC+20", WINTER) == ZoneAnswer()


def test_abbreviations_and_names_mean_places_that_keep_daylight_saving() -> None:
    for typed, zone in (
        ("EST", "America/New_York"), ("EDT", "America/New_York"), ("Eastern", "America/New_York"),
        ("Central", "America/Chicago"), ("CDT", "America/Chicago"),
        ("Mountain", "America/Denver"), ("PST", "America/Los_Angeles"),
        ("Pacific time", "America/Los_Angeles"), ("GMT", "Europe/London"),
        ("BST", "Europe/London"), ("CET", "Europe/Paris"), ("WEST", "Europe/Lisbon"),
        ("NZDT", "Pacific/Auckland"),
    ):  # fmt: skip
        found = find_zone(typed, WINTER).place
        assert found is not None and found.zone == zone, typed
        summer, winter = (ZoneInfo(zone).utcoffset(t) for t in (SUMMER, WINTER))
        assert summer != winter, f"{typed}: {zone} keeps no daylight saving"


def test_names_people_type_for_zones_without_daylight_saving() -> None:
    found = find_zone("Moscow time", WINTER).place
    assert found is not None and found.zone == "Europe/Moscow"


def test_ambiguous_answers_get_a_short_choice_of_places() -> None:
    for typed, must in (
        ("CST", {"America/Chicago", "Asia/Shanghai"}), ("MST", {"America/Phoenix"}),
        ("IST", {"Asia/Kolkata", "Europe/Dublin"}),
        ("UTC-5", {"America/New_York", "America/Bogota"}), ("-5", {"America/Lima"}),
        ("GMT+1", {"Europe/Berlin", "Africa/Lagos"}), ("UTC+5:30", {"Asia/Kolkata"}),
        ("Portland", {"America/Los_Angeles", "America/New_York"}),
        ("Córdoba", {"America/Argentina/Cordoba", "Europe/Madrid"}),
        ("Birmingham", {"Europe/London", "America/Chicago"}),
    ):  # fmt: skip
        found = find_zone(typed, WINTER)
        zones = {p.zone for p in found.choices}
        assert found.place is None and must <= zones and len(zones) <= 4, (typed, zones)
        assert not any("Etc/" in p.zone or "Etc/" in plain(p.name) for p in found.choices)
    summer = {p.zone for p in find_zone("UTC-5", SUMMER).choices}
    assert "America/Chicago" in summer and "America/New_York" not in summer  # offsets today


def test_cities_as_people_type_them() -> None:
    for typed, zone, name in (
        ("Houston", "America/Chicago", "Houston, Texas, United States"),
        ("atlanta", "America/New_York", "Atlanta, Georgia, United States"),
        ("Seattle", "America/Los_Angeles", "Seattle, Washington, United States"),
        ("San Francisco", "America/Los_Angeles", "San Francisco, California, United States"),
        ("Miami", "America/New_York", "Miami, Florida, United States"),
        ("Dallas", "America/Chicago", "Dallas, Texas, United States"),
        ("Ciudad de México", "America/Mexico_City", "Mexico City, Mexico"),
        ("ciudad de mexico", "America/Mexico_City", "Mexico City, Mexico"),
        ("Bogotá", "America/Bogota", "Bogotá, Colombia"),
        ("Bogota", "America/Bogota", "Bogotá, Colombia"),
        ("Paris", "Europe/Paris", "Paris, France"),  # not Paris, Texas
        ("Portland, Maine", "America/New_York", "Portland, Maine, United States"),
        ("Portland, OR", "America/Los_Angeles", "Portland, Oregon, United States"),
        ("Córdoba, Spain", "Europe/Madrid", "Córdoba, Spain"),
    ):  # fmt: skip
        found = find_zone(typed, WINTER).place
        assert found is not None and (found.zone, plain(found.name)) == (zone, name), typed


def test_a_stored_zone_is_shown_without_its_etc_name() -> None:
    assert zone_name("Etc/GMT+5") == "UTC-5" and zone_name("Etc/GMT-2") == "UTC+2"
    assert zone_name("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert zone_name("Etc/UTC") == "UTC"


def test_render_escapes_literals_and_parameters_and_marks_bold() -> None:
    message = msg("coord.approved", id=3, name="<b>Ann</b>")
    html = render(message, escape=lambda s: s.replace("<", "&lt;"), bold=lambda s: f"[{s}]")
    assert "&lt;b>Ann&lt;/b>" in html
    bolded = render(
        msg("signup.ask.consent", version="v1", text=msg("signup.guidelines")),
        bold=lambda s: f"[{s}]",
    )
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


def test_a_catalogue_key_defined_twice_is_an_error() -> None:
    with pytest.raises(DuplicateKeyError, match=r"button\.next"):
        merged({"button.next": "Next page", "a": "A"}, {"button.next": "Next ▶"})
    assert merged({"a": "A"}, {"b": "B"}) == {"a": "A", "b": "B"}
    assert render(msg("button.next")) == "Next ▶"  # the one definition left
