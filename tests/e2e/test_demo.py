"""`penpal-bot demo` as a user runs it: a separate process that starts the fakes and the real
bot, plays the whole story and prints the summary. Asserted here so the demo cannot rot."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path

import pytest

from sandbox import keep


async def test_the_demo_plays_in_spanish_with_no_english_on_the_peoples_screens() -> None:
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    env.pop("PENPAL_TELEGRAM_TOKEN", None)
    env.pop("PENPAL_DISCORD_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--language", "es", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    text = output.decode()
    assert process.returncode == 0, text[-3000:]
    for said in ("¡Gracias, Tess Writer! Tu inscripción está completa.",
                 "Ronda de emparejamiento #1: 2 propuestas.", "[Ya respondí]",
                 "Respuesta atrasada: Dana Writer no ha contestado la carta de",
                 "Resumen del día martes 24 de marzo:"):  # fmt: skip
        assert said in text, said
    bot_lines = [line.split(" bot: ", 1)[1] for line in text.splitlines() if " bot: " in line]
    for english in ("Your ", "Thank you", "Logged", "Matching run", "Overdue reply", "[Confirm]"):
        assert not any(english in line for line in bot_lines), english
    assert re.search(r"nothing lost\s+yes\n", text)


async def test_the_demo_plays_the_whole_story_and_loses_nothing() -> None:
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    env.pop("PENPAL_TELEGRAM_TOKEN", None)
    env.pop("PENPAL_DISCORD_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    text = output.decode()
    assert process.returncode == 0, text[-3000:]
    assert "DEMO FAILED" not in text and "\033[" not in text  # plain text when not a terminal
    for heading in ("Tess signs up on Telegram", "Dana signs up on Discord",
                    "approves both sign-ups", "mailing details, privately",
                    "reply reminders arrive", "coordinators are told", "daily digest",
                    "comes back", "release date comes", "starts a writing circle",
                    "the turn moves on"):  # fmt: skip
        assert heading in text, heading
    # In the order things happened: the confirmations under the step that made them.
    confirmed = text.index("Confirmed proposal #2")
    assert text.index("== 5. ") < confirmed < text.index("== 6. ")
    assert text.index("Daily digest for Thursday 12 March") < text.index("== 8. ")
    circle = text[text.index("== 13. ") :]
    assert re.search(r"thread Night Owls +private +bot: \S+ Writer answered \w+\. Next turn: "
                     r"Dana Writer\.", circle)  # fmt: skip
    threaded = [line for line in circle.splitlines() if "thread Night Owls" in line]
    assert len(threaded) == 4 and not any(" ID " in line or "PO Box" in line for line in threaded)
    assert re.search(r"volunteers active\s+2\n", text)
    assert re.search(r"matches active\s+2\n", text)  # one woman released, one to the circle
    assert re.search(r"letters logged\s+5\n", text)
    assert re.search(r"messages lost \(failed, missed or still waiting\)\s+0\n", text)
    assert re.search(r"nothing lost\s+yes\n", text)
    took = float(re.search(r"The demo took ([\d.]+) s", text).group(1))  # type: ignore[union-attr]
    assert took < 30
    # Private details only on private lines: no PUBLIC line carries an ID number.
    public = [line for line in text.splitlines() if " PUBLIC " in line]
    assert public and not any(re.search(r"\b\d{5}-\d{3}\b|W1000\d", line) for line in public)


async def test_a_kept_demo_answers_what_a_person_types_and_stops_cleanly() -> None:
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    env.pop("PENPAL_TELEGRAM_TOKEN", None)
    env.pop("PENPAL_DISCORD_TOKEN", None)
    demo = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--keep", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    assert demo.stdout is not None
    try:
        seen = ""
        while "keep running" not in seen:
            line = await asyncio.wait_for(demo.stdout.readline(), timeout=60)
            assert line, seen[-2000:]
            seen += line.decode()
        env["DEMO"] = str(demo.pid)  # other demos may run on this machine: this one
        asked = await sandbox(env, "say", "telegram", "tess", "/letters")  # hers, her circle's
        assert "bot: Which pen pal is it? [" in asked, asked
        letters = await sandbox(env, "press", "telegram", "tess", asked.split("[")[1].split("]")[0])
        assert "bot: Letters with " in letters, letters
        told = await sandbox(env, "say", "discord", "dana", "/coord", "stats")
        assert "Only the program's coordinators" in told
        waiting = await sandbox(env, "say", "telegram", "cora", "/coord penpal")
        assert "days waiting" in waiting and not re.search(
            r"· -\d+ days", waiting
        )  # no wait counted backwards
        for text, answer in (("/forgetme", "Erase everything?"), ("[Cancel]", "Nothing was erased"),
                             ("[Cancel]", "(no button [Cancel] in this chat)")):  # fmt: skip
            assert answer in await sandbox(env, "say", "telegram", "tess", text), text
        # Someone new signs up on Discord by hand: the form, a menu, a button, then time moves.
        assert "(a form opens" in await sandbox(env, "say", "discord", "ruth", "/signup")
        asked = await sandbox(env, "form", "ruth", "Name=Ruth Writer", "Languages=English",
                              "Interests=poetry", "zone=London")  # fmt: skip
        assert "What kind of correspondence" in asked and "[None of these]" in asked
        assert "Do you write as a woman?" in await sandbox(
            env, "press", "discord", "ruth", "None of these"
        )
        assert "How many pen pals" in await sandbox(env, "press", "discord", "ruth", "Yes")
        moved = await sandbox(env, "clock", "+1d")
        assert "(the sandbox clock moves to 2026-03-31" in moved, moved
        assert "Daily digest for Tuesday 31 March" in moved
    finally:
        if demo.returncode is None:
            demo.terminate()
        await asyncio.wait_for(demo.wait(), timeout=30)
    assert demo.returncode == 0


async def sandbox(env: dict[str, str], *args: str) -> str:
    """`penpal-bot sandbox ARGS` against the kept demo of this test; what it printed."""
    said = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sandbox", "--demo", env["DEMO"], *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(said.communicate(), timeout=60)
    assert said.returncode == 0, output.decode()
    return output.decode()


def test_each_kept_demo_has_its_own_state_and_stopped_ones_are_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(keep, "DEMOS", tmp_path)
    (tmp_path / "1.json").write_text(
        json.dumps({"url": "http://127.0.0.1:1/act", "pid": 999_999_999})
    )
    (tmp_path / f"{os.getpid()}.json").write_text(
        json.dumps({"url": "http://127.0.0.1:2/act", "pid": os.getpid()})
    )
    assert keep.running_demos() == {os.getpid(): "http://127.0.0.1:2/act"}
    assert not (tmp_path / "1.json").exists()  # that demo had stopped
    (tmp_path / "2.json").write_text(json.dumps({"url": "http://127.0.0.1:3/act", "pid": 1}))
    assert asyncio.run(keep.send({"action": "clock", "text": "+1d"})) == 2
    assert "Several demos are running" in capsys.readouterr().err
    assert asyncio.run(keep.send({"action": "clock", "text": "+1d"}, demo=12345)) == 2
    assert "No kept demo 12345 is running" in capsys.readouterr().err
