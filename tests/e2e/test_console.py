"""The coordinators' /coord console on both platforms comes from one table in the core: Discord's
slash commands are registered from it with their options and choices, Telegram reads typed
lines with it, and both answer a mistyped command the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import console
from bot.app.config import Config
from bot.messages import msg, plain
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARY_ID,
    CANARY_NAME,
    DISCORD_ANN,
    ann_matched_on_telegram,
    as_posted,
    say,
    seed_registry,
)

STRING, INTEGER = 3, 4  # Discord's option types


def registered(dc: FakeDiscord) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Every /coord subcommand as Discord received it, by its words, with its options."""
    [coord] = [c for c in dc.commands[dc.guild_id] if c["name"] == "coord"]
    found: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for option in coord["options"]:
        if option["type"] == 2:  # a subgroup
            for sub in option["options"]:
                found[(option["name"], sub["name"])] = sub.get("options", [])
        else:
            found[(option["name"],)] = option.get("options", [])
    return found


async def test_discord_registers_every_command_of_the_table_with_its_options(
    dc: FakeDiscord, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(dc=dc), tokens_for(dc=dc)):
        commands = registered(dc)
    assert set(commands) == {c.words for c in console.COMMANDS}
    for command in console.COMMANDS:
        options = {o["name"]: o for o in commands[command.words]}
        asked = [a for a in command.args if a.kind is not console.Kind.FORM]
        assert list(options) == [a.name for a in asked], command.name
        for arg in asked:
            option = options[arg.name]
            expected = {
                console.Kind.NUMBER: INTEGER,
                console.Kind.PENPAL: INTEGER,
                console.Kind.FILE: 11,  # an attachment
            }
            assert option["type"] == expected.get(arg.kind, STRING), (command.name, arg.name)
            picked_by_typing = arg.kind in (console.Kind.PENPAL, console.Kind.VOLUNTEER)
            assert option.get("autocomplete", False) is picked_by_typing, (command.name, arg.name)
            assert option.get("required", False) is not arg.optional, (command.name, arg.name)
            assert option["description"] == plain(msg(arg.help))
            choices = [c["value"] for c in option.get("choices", [])]
            assert choices == list(arg.choices), (command.name, arg.name)


async def test_telegram_lists_the_commands_and_says_how_to_write_a_mistyped_one(
    tg: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        listing = (await say(tg, COORDINATOR, "/coord")).text
        for command in console.COMMANDS:
            assert plain(command.listed()) in listing
        unknown = (await say(tg, COORDINATOR, "/coord stat")).text
        assert unknown.startswith("There is no /coord stat. Did you mean /coord stats?\n")
        assert "Coordinator commands" not in unknown and "/coord stats – " in unknown
        nothing_close = (await say(tg, COORDINATOR, "/coord xyzzy")).text
        assert "There is no /coord xyzzy. Coordinator commands:" in nothing_close
        mistyped = (await say(tg, COORDINATOR, "/coord end first no reply")).text
        assert "I could not read that" in mistyped and "/coord end MATCH REASON" in mistyped
        assert "Coordinator commands" not in mistyped  # only the command she meant
        form = (await say(tg, COORDINATOR, "/COORD Penpal ADD")).text
        assert "committed_name: Jane Example Doe" in form


async def test_a_wrong_value_gets_the_same_answer_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        typed = (await say(tg, COORDINATOR, "/coord release 1 soon")).text
        picked = as_posted(await dc.slash(coordinator, "coord", [{"type": 1, "name": "release",
            "options": [{"type": INTEGER, "name": "penpal", "value": 1},
                        {"type": STRING, "name": "on", "value": "soon"}]}]))  # fmt: skip
        assert picked.ephemeral and typed == picked.content
        assert plain(msg("arg.release_date")) in typed


async def test_remind_reaches_a_volunteer_on_either_platform_by_name_or_number(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(tg=tg, dc=dc, approval=False), tokens_for(tg=tg, dc=dc)):
        await ann_matched_on_telegram(tg)  # volunteer #1, on Telegram only
        remind = [{"type": 1, "name": "remind", "options": [
            {"type": STRING, "name": "volunteer", "value": "ann", "focused": True}]}]  # fmt: skip
        offered = await dc.autocomplete(coordinator, "coord", remind)
        assert offered == [{"name": "#1 Ann Writer", "value": "1"}]
        assert await dc.autocomplete(DISCORD_ANN, "coord", remind) == []  # nobody else
        remind[0]["options"][0] = {"type": STRING, "name": "volunteer", "value": "1"}
        told = as_posted(await dc.slash(coordinator, "coord", remind))
        assert told.ephemeral and told.content == "Ann Writer will get a reminder now."
        nudge = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Vella" in nudge or "Oti" in nudge  # on Telegram, where she is
        by_name = (await say(tg, COORDINATOR, "/coord remind Ann Writer")).text
        assert by_name == "Ann Writer will get a reminder now."
        await tg.next_sent(ANN.id)
        nobody = (await say(tg, COORDINATOR, "/coord remind Zed")).text
        assert "No active volunteer matches “Zed”" in nobody


async def test_a_coordinator_finds_a_woman_by_name_id_number_or_facility(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        by_id = html_to_text((await say(tg, COORDINATOR, "/coord penpal find 99173")).text)
        assert by_id.startswith("1 pen pal found for “99173”:")
        assert "· waiting · address never confirmed · matches: none" in by_id
        assert (
            f"#1 Vella ({CANARY_NAME}) · ID {CANARY_ID} · Canary Facility (#1) · waiting" in by_id
        )
        by_name = html_to_text((await say(tg, COORDINATOR, "/coord penpal vella")).text)
        assert by_name == by_id.replace("“99173”", "“vella”")  # not a language: searched as a name
        both = html_to_text((await say(tg, COORDINATOR, "/coord find canary facility")).text)
        assert both.startswith("2 pen pals found") and "#2 Oti (Other Person)" in both
        none = (await say(tg, COORDINATOR, "/coord find Deb")).text
        assert "No pen pal's name, ID number or facility contains “Deb”" in none
        refused = (await say(tg, ANN, "/coord find vella")).text
        assert CANARY_ID not in refused and "Only the program's coordinators" in refused

        release = [{"type": 1, "name": "release", "options": [
            {"type": INTEGER, "name": "penpal", "value": "vel", "focused": True}]}]  # fmt: skip
        offered = await dc.autocomplete(coordinator, "coord", release)
        assert offered == [{"name": f"#1 Vella ({CANARY_NAME}) · ID {CANARY_ID}", "value": 1}]
        assert await dc.autocomplete(DISCORD_ANN, "coord", release) == []  # nobody else
        found = as_posted(await dc.slash(coordinator, "coord", [{"type": 2, "name": "penpal",
            "options": [{"type": 1, "name": "find", "options": [
                {"type": STRING, "name": "text", "value": "vella"}]}]}]))  # fmt: skip
        assert found.ephemeral and CANARY_ID in found.content
