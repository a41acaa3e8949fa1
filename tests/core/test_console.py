"""The coordinators' console table: how a typed line is read, what is refused, which service
each command calls, and that every entry can be offered on both platforms."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from unittest.mock import AsyncMock, Mock

import pytest

from bot import console
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import Actor, EndReason, Platform
from bot.messages import CATALOGUE, msg, plain

BOSS = Actor(Platform.TELEGRAM, "900", is_coordinator=True)
NOBODY = Actor(Platform.TELEGRAM, "901", is_coordinator=False)


def refusal(text: str) -> str:
    with pytest.raises(BotError) as raised:
        console.read_line(text)
    return plain(raised.value.message)


def test_every_entry_is_offerable_on_both_platforms() -> None:
    names = [c.words for c in console.COMMANDS]
    assert len(names) == len(set(names))
    for command in console.COMMANDS:
        assert len(command.words) in (1, 2) and all(
            re.fullmatch(r"[a-z]{1,32}", w) for w in command.words
        )
        for key in (command.help, command.line, command.usage or command.line):
            assert key in CATALOGUE, key
        assert len(plain(msg(command.help))) <= 100  # Discord's limit for a description
        for arg in command.args:
            assert arg.help in CATALOGUE and len(plain(msg(arg.help))) <= 100
        rest = [arg for arg in command.args if arg.kind.takes_rest]
        assert not rest or (command.args[-1] is rest[0] and len(rest) == 1), command.name
        optional = [arg.optional for arg in command.args]
        assert optional == sorted(optional), command.name  # nothing required after an optional
        if len(command.words) == 2:
            assert command.words[0] in console.GROUPS
    listing = plain(console.listing())
    assert all(plain(c.listed()).split(" – ")[0] in listing for c in console.COMMANDS)


def test_a_line_is_read_into_typed_values() -> None:
    command, values = console.read_line(" End 12  No   Reply ")
    assert command.words == ("end",) and values == {"match": 12, "reason": EndReason.NO_REPLY}
    command, values = console.read_line(" release 4 2026-12-01")
    assert values == {"penpal": 4, "on": date(2026, 12, 1)}
    command, values = console.read_line(" letter 7")
    assert command.words == ("letter",) and values == {"match": 7, "date": None}
    command, values = console.read_line(" transfer 3 W-991 Example Women's Facility")
    assert values == {"penpal": 3, "id_number": "W-991", "facility": "Example Women's Facility"}
    text = "Hello all,\n\nletters are due.\n  Thanks"
    command, values = console.read_line(f" broadcast overdue\n{text}")
    assert command.words == ("broadcast",) and values == {"audience": "overdue", "text": text}
    command, values = console.read_line(" schedule thu 19:00 Europe/London all\nWrite today")
    assert values["timezone"] == "Europe/London" and values["text"] == "Write today"


def test_two_word_commands_win_over_their_one_word_alias() -> None:
    command, values = console.read_line(" penpal Deb")
    assert command.words == ("penpal", "list") and values == {"filter": "Deb"}
    command, values = console.read_line(" penpal list es books")
    assert command.words == ("penpal", "list") and values == {"filter": "es books"}
    command, values = console.read_line(" penpal")
    assert command.words == ("penpal", "list") and values == {"filter": None}
    command, values = console.read_line(" penpal add\ncommitted_name: Jo\nid_number: 1")
    assert command.words == ("penpal", "add")
    assert values == {"details": "committed_name: Jo\nid_number: 1"}


def test_what_cannot_be_read_is_refused_with_how_to_write_it() -> None:
    for typed in (" end twelve no reply", " end 12 bored", " end 12", " overdue now",
                  " unschedule 1x", " concerns ５", " letter 3 4 5", " handled one"):  # fmt: skip
        answer = refusal(typed)
        assert answer.startswith("I could not read that."), typed
    assert "reasons: volunteer stopped, no reply" in refusal(" end 12 bored")
    assert "Add a note" in refusal(" handled one")
    assert "You'll see a preview" in refusal(" broadcast")
    assert plain(msg("arg.release_date")) in refusal(" release 4 next-tuesday")
    assert refusal("").startswith("Coordinator commands:\n/coord match")
    for unknown in (" coord", " 12", " xyzzy"):
        told = refusal(unknown)
        assert told.startswith(f"There is no /coord {unknown.strip()}. Coordinator commands:\n")
    for typed, meant in ((" statz", "stats"), (" Pendng", "pending"), (" penpl add", "penpal add"),
                         (" reasign 3 no reply", "reassign")):  # fmt: skip
        told = refusal(typed)
        assert told.startswith(f"There is no /coord {typed.split()[0].casefold()}. Did you mean "
                               f"/coord {meant}?\n/coord {meant}"), told  # fmt: skip
        assert "Coordinator commands" not in told


def services() -> Any:
    found = Mock()
    for name in ("matches", "custody", "letters", "announcements", "concerns", "oversight",
                 "registry", "forwarding"):  # fmt: skip
        setattr(found, name, AsyncMock())
    found.announcements.preview.return_value = (msg("broadcast.sent", count=3), 44)
    return found


async def test_each_command_calls_its_service() -> None:
    s = services()
    await console.run(s, BOSS, *console.read_line(" end 5 no reply"))
    s.custody.end_match.assert_awaited_once_with(5, EndReason.NO_REPLY, BOSS)
    await console.run(s, BOSS, *console.read_line(" letter 5 2026-11-02"))
    s.forwarding.arrived.assert_awaited_once_with(BOSS, 5, date(2026, 11, 2))
    # The review queue: forward with a date, hold and return with a note, in either language.
    await console.run(s, BOSS, *console.read_line(" review forward 7 2026-11-03"))
    s.forwarding.forward.assert_awaited_once_with(BOSS, 7, date(2026, 11, 3))
    await console.run(s, BOSS, *console.read_line(" review retener 7 Una foto no permitida"))
    s.forwarding.hold.assert_awaited_once_with(BOSS, 7, "Una foto no permitida")
    await console.run(s, BOSS, *console.read_line(" review return 9 Leave out your town"))
    s.forwarding.give_back.assert_awaited_once_with(BOSS, 9, "Leave out your town")
    for wrong in (" review post", " review burn 7", " review forward 7 tomorrow"):
        with pytest.raises(BotError):
            await console.run(s, BOSS, *console.read_line(wrong))
    s.forwarding.forward.assert_awaited_once()  # the refused ones called nothing
    await console.run(s, BOSS, *console.read_line(" handled 2 Called the facility"))
    s.concerns.handle.assert_awaited_once_with(BOSS, 2, "Called the facility")
    await console.run(s, BOSS, *console.read_line(" facility add\nname: X\naddress line 1: PO 1"))
    s.registry.save_facility.assert_awaited_once_with(BOSS, {"name": "X", "address_line_1": "PO 1"})
    preview = await console.run(s, BOSS, *console.read_line(" broadcast all\nHi"))
    assert preview == console.Preview(msg("broadcast.sent", count=3), 44)
    s.announcements.preview.assert_awaited_once_with(BOSS, "all", "Hi")
    proposals = await console.run(s, BOSS, *console.read_line(" reassign 8 no reply"))
    assert isinstance(proposals, console.Proposals)
    s.custody.reassign.assert_awaited_once_with(8, EndReason.NO_REPLY, BOSS)


async def test_a_form_without_details_asks_for_them_and_saves_nothing() -> None:
    s = services()
    wanted = await console.run(s, BOSS, *console.read_line(" penpal add"))
    assert isinstance(wanted, console.FormWanted) and wanted.kind == "penpal"
    assert "committed_name: Jane Example Doe" in plain(wanted.message)
    s.registry.save_penpal.assert_not_awaited()


async def test_options_picked_on_discord_are_read_the_same_way() -> None:
    [end] = [c for c in console.COMMANDS if c.words == ("end",)]
    assert console.read_options(end, {"match": 3, "reason": "no reply"}) == {
        "match": 3, "reason": EndReason.NO_REPLY}  # fmt: skip
    with pytest.raises(BotError):
        console.read_options(end, {"match": 3, "reason": "bored"})
    [release] = [c for c in console.COMMANDS if c.words == ("release",)]
    assert console.read_options(release, {"penpal": 4, "on": None}) == {"penpal": 4, "on": None}


async def test_nobody_but_a_coordinator_gets_past_the_console() -> None:
    s = services()
    for typed in (" match", " end 5 no reply", " penpal add", " stats", " broadcast all\nHi"):
        with pytest.raises(NotAllowed):
            await console.run(s, NOBODY, *console.read_line(typed))
    for service in ("matches", "custody", "registry", "oversight", "announcements"):
        assert not getattr(s, service).mock_calls, service


def test_a_reason_is_typed_in_any_language_the_bot_speaks() -> None:
    for typed in (" end 3 no reply", " end 3 Sin  Respuesta"):
        _, values = console.read_line(typed)
        assert values == {"match": 3, "reason": EndReason.NO_REPLY}, typed
    listing = plain(console.listing(), "es")
    assert "/coord end EMPAREJAMIENTO MOTIVO" in listing
    assert "(motivos: lo dejó, sin respuesta, en libertad, trasladada" in listing
