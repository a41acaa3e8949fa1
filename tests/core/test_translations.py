"""The translations stay whole: the template matches the English catalogue, every language has
every sentence with the same placeholders, bold marks and plural forms; a count takes the
form its language needs; a day is written as the language writes days."""

from __future__ import annotations

import re
from datetime import date

from bot.messages import CATALOGUE, msg, plain
from bot.messages.forms import Month, Plural
from bot.messages.po import check
from bot.messages.translations import LANGUAGES, language_of, translations


def test_every_language_is_whole_and_the_template_is_up_to_date() -> None:
    assert check() == []


def test_no_english_plural_is_faked() -> None:
    for key, entry in CATALOGUE.items():
        texts = [entry.one, entry.other] if isinstance(entry, Plural) else [entry]
        for text in texts:
            assert not re.search(r"\w\((s|es|ies)\)", text), (key, text)  # "match(es)"


def test_spanish_has_every_sentence_and_real_plurals() -> None:
    spanish = translations("es")
    assert set(spanish) == set(CATALOGUE)
    assert plain(msg("match.run", run=2, count=1), "es") == (
        "Ronda de emparejamiento #2: 1 propuesta. Confírmala u omítela."
    )
    assert "5 propuestas" in plain(msg("match.run", run=2, count=5), "es")
    assert plain(msg("count.pen_pals", n=1)) == "1 pen pal"
    assert plain(msg("count.pen_pals", n=0)) == "0 pen pals"
    assert plain(msg("count.pen_pals", n=2), "es") == "2 corresponsales"


def test_days_are_written_as_each_language_writes_them() -> None:
    told = msg("reminder.snoozed", when=date(2026, 3, 16))
    assert plain(told) == "I'll remind you again on Monday 16 March."
    assert plain(told, "es") == "Te lo volveré a recordar el lunes 16 de marzo."
    month = msg("literal", text=Month(2026, 3))
    assert (plain(month), plain(month, "es")) == ("March 2026", "marzo de 2026")


def test_a_platform_hint_picks_a_language_the_bot_speaks() -> None:
    assert LANGUAGES == ("en", "es")
    assert [language_of(h) for h in ("es", "es-419", "es_MX", "en-GB", "pt-BR", None, "")] == [
        "es", "es", "es", "en", None, None, None]  # fmt: skip
    assert language_of("es", allowed=("en",)) is None


def test_every_kind_of_parameter_survives_the_outbox_json() -> None:
    from bot.messages import params_from_json, params_to_json
    from bot.messages.forms import ByLanguage, CountryName, Joined, LanguageNames

    params = {
        "day": date(2026, 3, 16),
        "country": CountryName("US", "United States"),
        "languages": LanguageNames((("en", "English"),)),
        "own": ByLanguage((("es", "Hola"),), msg("none")),
        "nested": msg("count.pen_pals", n=2),
        "month": Month(2026, 3),
        "joined": Joined((msg("none"), "x")),
    }
    assert params_from_json(params_to_json(params)) == params
    told = msg("place.in_country", city="Austin", country=CountryName("US", "United States"))
    assert plain(told) == "Austin, United States"
    assert plain(told, "es") == "Austin, Estados Unidos"


def test_why_a_match_ended_is_said_in_words_in_each_language() -> None:
    from bot.domain.models import EndReason

    for reason in EndReason:
        told = msg(f"end_reason.{reason.name.lower()}")
        assert plain(told) and plain(told, "es") and plain(told, "es") != plain(told)
    ended = msg("match.ended_volunteer", penpal="Vella", reason=msg("end_reason.no_reply"))
    assert "(sin respuesta)" in plain(ended, "es")


def test_a_number_of_days_is_a_real_plural_in_every_sentence_that_counts_them() -> None:
    from bot.messages import days

    line = msg("coord.overdue_line", volunteer="Ann", penpal="Vella", match=1,
               dated=date(2026, 3, 2), days=days(1))  # fmt: skip
    assert plain(line).endswith("letter of Monday 2 March, 1 day late")
    assert plain(line, "es").endswith("1 día de retraso")
    assert (
        plain(msg("address.why_silence", days=days(42))) == "nothing has come from her for 42 days"
    )
    assert not any("{days} day" in str(entry) for entry in CATALOGUE.values())
