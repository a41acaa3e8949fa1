"""The coordinators' /coord console on both platforms comes from one table in the core: Discord's
slash commands are registered from it with their options and choices, Telegram reads typed
lines with it, and both answer a mistyped command the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import console
from bot.app.config import Config
from bot.domain.models import EndReason
from bot.messages import msg, plain
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import COORDINATOR, discord_coordinator, running, tokens_for
from tests.e2e.helpers import DISCORD_ANN, ann_matched_on_discord, as_posted, say, seed_registry

STRING, INTEGER, USER = 3, 4, 6  # Discord's option types


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
            expected = {console.Kind.NUMBER: INTEGER, console.Kind.VOLUNTEER: USER}
            assert option["type"] == expected.get(arg.kind, STRING), (command.name, arg.name)
            assert option.get("required", False) is not arg.optional, (command.name, arg.name)
            assert option["description"] == plain(msg(arg.help))
            choices = [c["value"] for c in option.get("choices", [])]
            assert choices == list(arg.choices), (command.name, arg.name)


async def test_telegram_lists_the_commands_and_says_how_to_write_a_mistyped_one(
    tg: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        listing = (await say(tg, COORDINATOR, "/coord")).text
        reasons = ", ".join(EndReason)
        for command in console.COMMANDS:
            assert plain(msg(command.line, reasons=reasons)) in listing
        unknown = (await say(tg, COORDINATOR, "/coord statz")).text
        assert unknown.startswith("Coordinator commands:")
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


async def test_discord_remind_takes_the_member_picked(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        await ann_matched_on_discord(dc, coordinator)
        picked = [{"type": USER, "name": "volunteer", "value": str(DISCORD_ANN.id)}]
        told = as_posted(await dc.slash(coordinator, "coord", [{"type": 1, "name": "remind",
                                                                "options": picked}]))  # fmt: skip
        assert told.ephemeral and "will get a reminder now" in told.content, told.content
