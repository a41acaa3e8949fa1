"""In Spanish, end to end on both fake platforms: a volunteer whose app is in Spanish signs up
in Spanish; a coordinator chooses Spanish with /language and confirms a match in it; the
mailing details, a letter logged, a reminder and its buttons reach the volunteer in Spanish
(what the bot sends on its own is written in the receiver's language); Discord's command
descriptions are given in Spanish to Spanish clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, FakeUser, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import START, as_posted, move_to, press, say, seed_registry, sweep

LUCIA = FakeUser(333, "Lucía", "lucia", language_code="es-MX")


async def test_telegram_sign_up_match_letter_and_reminder_in_spanish(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        await tg.user_says(LUCIA, "/signup")
        intro = await tg.next_sent(LUCIA.id)
        assert intro.text == "Vamos a inscribirte como voluntaria. Puedes enviar /cancel en cualquier momento."  # fmt: skip
        assert "¿Qué nombre usamos para ti?" in (await tg.next_sent(LUCIA.id)).text
        pronouns = await say(tg, LUCIA, "Lucía Escribe")
        assert "Tus pronombres" in pronouns.text
        await press(tg, LUCIA, pronouns, "Omitir")
        langs = await tg.next_sent(LUCIA.id)
        assert "¿En qué idiomas puedes escribir cartas?" in langs.text
        assert [b["text"] for b in langs.buttons][:3] == ["inglés", "español", "francés"]
        await press(tg, LUCIA, langs, "inglés")
        edited = await tg.next_message(LUCIA.id)
        await press(tg, LUCIA, edited, "español")
        edited = await tg.next_message(LUCIA.id)
        assert edited.button("✓ español") and edited.button("✓ inglés")
        await press(tg, LUCIA, edited, "Listo")
        assert "Algunos temas" in (await tg.next_sent(LUCIA.id)).text
        kinds = await say(tg, LUCIA, "poesía, ajedrez")
        await press(tg, LUCIA, kinds, "Amistad")
        await press(tg, LUCIA, await tg.next_message(LUCIA.id), "Listo")
        woman = await tg.next_sent(LUCIA.id)
        assert "¿Escribes como mujer?" in woman.text
        await press(tg, LUCIA, woman, "Sí")
        capacity = await tg.next_sent(LUCIA.id)
        assert capacity.button("1 corresponsal") and capacity.button("2 corresponsales")
        await press(tg, LUCIA, capacity, "2 corresponsales")
        await press(tg, LUCIA, await tg.next_sent(LUCIA.id), "Una vez al mes")
        assert "zona horaria" in (await tg.next_sent(LUCIA.id)).text
        place = html_to_text((await say(tg, LUCIA, "Chicago")).text)
        assert place.startswith("Zona horaria: Chicago") and "(allí son las 06:00)" in place
        consent = await tg.next_sent(LUCIA.id)
        assert "Las pautas del programa" in html_to_text(consent.text)
        await press(tg, LUCIA, consent, "Acepto")
        await tg.next_message(LUCIA.id)  # the buttons go
        done = await tg.next_sent(LUCIA.id)
        assert done.text == "¡Gracias, Lucía Escribe! Ya estás inscrita y lista para que te emparejen."  # fmt: skip
        assert query(db_path, "SELECT language, chosen FROM languages") == [("es", 0)]

        # The coordinator's app is in English; she chooses Spanish.
        ask = await say(tg, COORDINATOR, "/language")
        assert ask.text == "Which language should I write to you in?"
        assert [b["text"] for b in ask.buttons] == ["English", "Español"]
        await press(tg, COORDINATOR, ask, "Español")
        await tg.next_message(COORDINATOR.id)
        chosen = await tg.next_sent(COORDINATOR.id)
        assert chosen.text == "A partir de ahora te escribo en español."
        summary = await say(tg, COORDINATOR, "/coord match")
        assert "Ronda de emparejamiento #1: 2 propuestas" in summary.text
        proposal = await tg.next_sent(COORDINATOR.id)
        text = html_to_text(proposal.text)
        assert (
            "Propuesta #1: Lucía Escribe con Vella" in text and "Idiomas en común: inglés" in text
        )
        assert [b["text"] for b in proposal.buttons] == ["Confirmar", "Omitir", "Otra persona"]
        await tg.next_sent(COORDINATOR.id)  # the second proposal
        await press(tg, COORDINATOR, proposal, "Confirmar")
        await tg.next_message(COORDINATOR.id)
        confirmed = await tg.next_sent(COORDINATOR.id)
        assert "Propuesta #1 confirmada: Lucía Escribe escribe ahora a Vella" in confirmed.text
        details = html_to_text((await tg.next_sent(LUCIA.id)).text)
        assert details.startswith("Tu nueva corresponsal: Vella")
        assert "Normas de correo de Canary Facility" in details

        logged = html_to_text((await say(tg, LUCIA, "/letter received")).text)
        assert logged == (
            "Anotada: una carta de Vella que te llegó el sábado 28 de noviembre. "
            "Tu respuesta debería salir antes del sábado 12 de diciembre."
        )
        move_to(clock, datetime(2026, 12, 8, 15, tzinfo=UTC))  # 09:00 in Chicago
        assert await sweep(app) == 1
        nudge = await tg.next_sent(LUCIA.id)
        assert "Tu respuesta debería salir antes del sábado 12 de diciembre" in html_to_text(
            nudge.text
        )
        assert [b["text"] for b in nudge.buttons] == ["Ya respondí", "Recuérdamelo en unos días"]
        await press(tg, LUCIA, nudge, "Ya respondí")
        thanks = html_to_text((await tg.next_sent(LUCIA.id)).text)
        assert (
            thanks == "Anotada tu carta a Vella del martes 8 de diciembre. ¡Gracias por escribir!"
        )


SOFIA = Member(310000000000000033, "sofia", locale="es-ES")
FORMA = {
    "signup-name": "Sofía Escribe",
    "signup-pronouns": "ella",
    "signup-languages": "inglés, español",
    "signup-interests": "poesía, senderismo",
    "signup-timezone": "Madrid",
}


async def test_discord_sign_up_and_a_match_in_spanish(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    coordinator.locale = "es-419"
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        [signup] = [c for c in dc.commands[dc.guild_id] if c["name"] == "signup"]
        assert signup["description_localizations"]["es-ES"] == "Inscríbete como voluntaria"
        assert signup["description"] == "Sign up as a volunteer writer"
        [coord] = [c for c in dc.commands[dc.guild_id] if c["name"] == "coord"]
        [end] = [o for o in coord["options"] if o["name"] == "end"]
        [reason] = [o for o in end["options"] if o["name"] == "reason"]
        no_reply = next(c for c in reason["choices"] if c["value"] == "no reply")
        assert no_reply["name_localizations"]["es-ES"] == "sin respuesta"

        modal = await dc.slash(SOFIA, "signup")
        assert modal.type == 9 and modal.data["title"] == "Inscripción de voluntarias"
        step = as_posted(await dc.submit_modal(SOFIA, modal, FORMA))
        assert step.ephemeral and "Zona horaria: Madrid" in step.content
        assert "¿Qué tipo de correspondencia" in step.content
        step = as_posted(await dc.select(SOFIA, step, "penpal:signup:answer:kinds", ["friendship"]))
        assert "¿Escribes como mujer?" in step.content
        step = as_posted(await dc.select(SOFIA, step, "penpal:signup:answer:woman", ["yes"]))
        step = as_posted(await dc.select(SOFIA, step, "penpal:signup:answer:capacity", ["1"]))
        step = as_posted(
            await dc.select(SOFIA, step, "penpal:signup:answer:frequency", ["monthly"])
        )
        assert "**Las pautas del programa**" in step.content
        done = as_posted(await dc.click(SOFIA, step, "penpal:signup:agree"))
        assert "¡Gracias, Sofía Escribe!" in done.content and done.ephemeral

        mark = len(dc.posted)
        await dc.slash(coordinator, "coord", [{"type": 1, "name": "match", "options": []}])
        summary = await dc.next_posted("followup", after=mark)
        assert "Ronda de emparejamiento #1: 1 propuesta. Confírmala u omítela." in summary.content
        proposal = await dc.next_posted("followup", after=dc.posted.index(summary) + 1)
        assert "**Propuesta #1**: Sofía Escribe con Vella" in proposal.content
        mark = len(dc.posted)
        confirm = next(c for c in proposal.custom_ids() if ":confirm:" in c)
        confirmed = as_posted(await dc.click(coordinator, proposal, confirm))
        assert "Propuesta #1 confirmada" in confirmed.content
        details = await dc.next_posted("dm", user_id=SOFIA.id, after=mark)
        assert details.content.startswith("**Tu nueva corresponsal: Vella**")


NOBODY_SAID = FakeUser(334, "Ines", "ines", language_code="")  # her app sent no language


async def test_a_sign_up_asks_the_language_first_when_the_app_told_none(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        ask = await say(tg, NOBODY_SAID, "/signup")
        assert ask.text == "Which language should I write to you in?"
        await press(tg, NOBODY_SAID, ask, "Español")
        await tg.next_message(NOBODY_SAID.id)  # the buttons go
        assert (await tg.next_sent(NOBODY_SAID.id)).text == (
            "A partir de ahora te escribo en español."
        )
        assert "Vamos a inscribirte" in (await tg.next_sent(NOBODY_SAID.id)).text
        assert "¿Qué nombre usamos para ti?" in (await tg.next_sent(NOBODY_SAID.id)).text
        await tg.user_says(NOBODY_SAID, "/signup")  # asked once: now she has one
        assert "Vamos a inscribirte" in (await tg.next_sent(NOBODY_SAID.id)).text
    assert query(db_path, "SELECT language, chosen FROM languages") == [("es", 1)]


async def walk_to_consent(tg: FakeTelegram, user: FakeUser) -> Any:
    """A sign-up in Spanish, every question answered; the consent prompt."""
    await tg.user_says(user, "/signup")
    await tg.next_sent(user.id)
    await tg.next_sent(user.id)
    await press(tg, user, await say(tg, user, "Lucía Escribe"), "Omitir")
    await press(tg, user, await tg.next_sent(user.id), "inglés")
    await press(tg, user, await tg.next_message(user.id), "Listo")
    await tg.next_sent(user.id)
    await press(tg, user, await say(tg, user, "poesía"), "Listo")
    await press(tg, user, await tg.next_sent(user.id), "Sí")
    await press(tg, user, await tg.next_sent(user.id), "1 corresponsal")
    await press(tg, user, await tg.next_sent(user.id), "Una vez al mes")
    await tg.next_sent(user.id)
    await say(tg, user, "Chicago")
    return await tg.next_sent(user.id)


async def test_the_program_writes_its_own_guidelines_and_welcome_in_each_language(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path, tmp_path: Path
) -> None:
    for language, words in (("en", "Write kindly."), ("es", "Escribe con cariño.")):
        (tmp_path / f"rules.{language}.txt").write_text(f"• {words}")
        (tmp_path / f"hello.{language}.txt").write_text(f"Letters Inside: {words}")
    config = make_config(tg=tg, approval=False)
    program = replace(
        config.program,
        guidelines_file=str(tmp_path / "rules.{language}.txt"),
        welcome_file=str(tmp_path / "hello.{language}.txt"),
    )
    async with running(replace(config, program=program), tokens_for(tg=tg)):
        welcome = (await say(tg, LUCIA, "/start")).text
        assert welcome.startswith("Letters Inside: Escribe con cariño.\n\n/signup")
        assert (await say(tg, COORDINATOR, "/start")).text.startswith("Letters Inside: Write")
        consent = await walk_to_consent(tg, LUCIA)
        text = html_to_text(consent.text)
        assert "Las pautas del programa (versión program-" in text
        assert "• Escribe con cariño." in text and "Usa la dirección" not in text
        await press(tg, LUCIA, consent, "Acepto")
        await tg.next_message(LUCIA.id)
        assert "¡Gracias, Lucía Escribe!" in (await tg.next_sent(LUCIA.id)).text
    [(version,)] = query(db_path, "SELECT guidelines_version FROM volunteers")
    assert version.startswith("program-") and len(version) == len("program-") + 8
