"""A kept demo (`penpal-bot demo --keep`) that a person plays by hand with `penpal-bot sandbox`.

The demo process serves a small local endpoint; each kept demo writes where to reach it in a
file of its own (`penpal-demos/PID.json` in the temporary folder), so two demos on one machine
never answer each other. `penpal-bot sandbox` talks to the only one running, or to the one
named with `--demo PID`.

What a person can do, as the people of the demo or anyone she names:
- say: type a message or a command (`/coord end 1 no reply`: on Discord the words after the
  command fill its options in order, the last one taking the rest of the line);
- press: a button by its label (or a choice of a menu; several choices of one menu as
  `A, B`), under the latest message she can see that has it;
- form: fill in the form the bot opened for her on Discord, field by field (`Name=Dana`);
- clock: move the sandbox clock (`+3d`, `+4h`, `+30m` or an ISO time); the bot notices, sends
  what is due, and every message that followed is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sandbox.fake_discord import FakeDiscord, Member, Posted, Response
from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent, html_to_text

DEMOS = Path(tempfile.gettempdir()) / "penpal-demos"
"""One file per kept demo: PID.json with the address of its endpoint."""
SETTLE = 15.0
"""Seconds to wait for the bot to send what is due after the clock moved."""


@dataclass
class Kept:
    """The people, the fakes and the clock of a kept demo; each action returns the lines the
    person would read."""

    tg: FakeTelegram
    dc: FakeDiscord
    clock: Path
    database: Path
    telegram_people: dict[str, FakeUser]
    discord_people: dict[str, Member]
    forms: dict[int, Response] = field(default_factory=dict)  # member id -> the open form

    # ----- who ---------------------------------------------------------------------------------
    def telegram_user(self, who: str) -> FakeUser:
        """One of the demo's people, or a new person with an id of her own (the same for the
        same name)."""
        name = who.casefold()
        if name not in self.telegram_people:
            self.telegram_people[name] = FakeUser(
                10_000 + zlib.crc32(name.encode()) % 900_000, who.title(), name
            )
        return self.telegram_people[name]

    def discord_member(self, who: str) -> Member:
        name = who.casefold()
        if name not in self.discord_people:
            member_id = 330_000_000_000_000_000 + zlib.crc32(name.encode()) % 10**9
            self.discord_people[name] = Member(member_id, name)
        return self.discord_people[name]

    # ----- actions -----------------------------------------------------------------------------
    async def act(self, body: dict[str, Any]) -> list[str]:
        action, platform = str(body.get("action", "say")), str(body.get("platform", ""))
        who, text = str(body.get("who", "")).strip(), str(body.get("text", "")).strip()
        if action == "clock":
            return await self.move_clock(text)
        if not who:
            return ["(say who: tess, cora, dana, or any name)"]
        if action == "form":
            fields = body.get("fields") or {}
            return await self.fill_form(self.discord_member(who), dict(fields))
        if action == "say" and text.startswith("[") and text.endswith("]"):
            action, text = "press", text[1:-1]
        if platform == "discord":
            member = self.discord_member(who)
            if action == "press":
                return await self.discord_press(member, text)
            return await self.discord_say(member, text)
        user = self.telegram_user(who)
        if action == "press":
            return await self.telegram_press(user, text)
        await self.tg.user_says(user, text)
        return await self.telegram_replies(user)

    # ----- Telegram ----------------------------------------------------------------------------
    async def telegram_press(self, user: FakeUser, label: str) -> list[str]:
        shown = [
            m
            for (chat, _), m in sorted(self.tg.messages.items())
            if chat == user.id and any(label in b["text"] for b in m.buttons)
        ]
        if not shown:
            return [f"(no button [{label}] in this chat)"]
        pressed = await self.tg.user_presses(
            user, shown[-1], shown[-1].button(label)["callback_data"]
        )
        replies = []
        with contextlib.suppress(AssertionError, TimeoutError):
            popup = (await self.tg.callback_answer(pressed, 2.0)).get("text")
            replies += [f"(pop-up) {popup}"] if popup else []
        return replies + await self.telegram_replies(user)

    async def telegram_replies(self, user: FakeUser, wait: float = 2.0) -> list[str]:
        replies = []
        with contextlib.suppress(AssertionError, TimeoutError):
            while True:
                replies.append(telegram_line(await self.tg.next_message(user.id, wait)))
        return replies

    # ----- Discord -----------------------------------------------------------------------------
    async def discord_say(self, member: Member, text: str) -> list[str]:
        """A slash command typed as text: `/name [sub] [values...]`."""
        words = text.lstrip("/").split()
        if not words:
            return ["type a command, like /me"]
        registered = {c["name"]: c for c in self.dc.commands.get(self.dc.guild_id, [])}
        if words[0] not in registered:
            return [f"/{words[0]} is not a command here (have {', '.join(sorted(registered))})"]
        try:
            options = typed_options(registered[words[0]].get("options", []), words[1:])
        except ValueError as error:
            return [str(error)]
        mark = len(self.dc.posted)
        try:
            response = await self.dc.slash(member, words[0], options)
        except AssertionError as error:
            return [str(error)]
        return await self.discord_answer(member, response, mark)

    async def discord_press(self, member: Member, label: str) -> list[str]:
        """Press a button (or choose in a menu) by its label, under the latest message she
        can see that has it."""
        wanted = [part.strip() for part in label.split(",")] if "," in label else [label]
        for posted in reversed(self.dc.visible_to(member.id)):
            found = _component(posted.components, wanted)
            if found is None:
                continue
            mark = len(self.dc.posted)
            custom_id, values = found
            if values is None:
                response = await self.dc.click(member, posted, custom_id)
            else:
                response = await self.dc.select(member, posted, custom_id, values)
            return await self.discord_answer(member, response, mark, posted)
        return [f"(no button or choice [{label}] that {member.name} can see)"]

    async def fill_form(self, member: Member, fields: dict[str, str]) -> list[str]:
        modal = self.forms.pop(member.id, None)
        if modal is None:
            return [f"(no form is open for {member.name}: a command like /signup opens one)"]
        inputs = _inputs(modal.data.get("components", []))
        values: dict[str, str] = {}
        for name, value in fields.items():
            match = [i for i in inputs if name.casefold() in (i[0].casefold(), i[1].casefold())]
            match = match or [i for i in inputs if name.casefold() in i[1].casefold()]
            if not match:
                self.forms[member.id] = modal
                known = ", ".join(label for _, label in inputs)
                return [f"(the form has no field “{name}”; its fields: {known})"]
            values[match[0][0]] = value
        mark = len(self.dc.posted)
        response = await self.dc.submit_modal(member, modal, values)
        return await self.discord_answer(member, response, mark)

    async def discord_answer(
        self, member: Member, response: Response, mark: int, on: Posted | None = None
    ) -> list[str]:
        """What she sees after an interaction: the answer, what follows, her DMs."""
        if response.type == 9:
            self.forms[member.id] = response
            fields = ", ".join(label for _, label in _inputs(response.data.get("components", [])))
            title = response.data.get("title", "")
            return [f"(a form opens: “{title}”, with: {fields}. Fill it with: penpal-bot "
                    f'sandbox form {member.name} "FIELD=VALUE" ...)']  # fmt: skip
        lines = []
        if response.message is not None:
            lines.append(discord_line(response.message))
        elif response.type == 6 and on is not None:
            lines.append("(nothing changed on the message)")
        with contextlib.suppress(AssertionError, TimeoutError):  # follow-ups and DMs
            while True:
                found = await self.dc.wait_for_posted(
                    lambda p: (
                        (p.where == "followup" and self.dc.answered.get(p.id) == member.id)
                        or (p.where == "dm" and p in self.dc.visible_to(member.id))
                    ),
                    after=mark,
                    timeout=30 if response.type == 5 and len(lines) == 0 else 2,
                )
                mark = self.dc.posted.index(found) + 1
                lines.append(discord_line(found))
        return lines or ["(the bot is still thinking)"]

    # ----- time --------------------------------------------------------------------------------
    async def move_clock(self, to: str) -> list[str]:
        now = datetime.fromisoformat(self.clock.read_text(encoding="utf-8").strip())
        try:
            moved = _moved(now, to)
        except ValueError:
            return ["(say how far: +3d, +4h, +30m, or a time like 2026-03-20T09:00)"]
        if moved <= now:
            return [f"(the clock only moves forward; it is {now:%Y-%m-%d %H:%M} UTC)"]
        dc_mark = len(self.dc.posted)
        fresh = self.clock.with_suffix(".new")  # replaced whole: the bot never reads half
        fresh.write_text(moved.isoformat(), encoding="utf-8")
        fresh.replace(self.clock)
        lines = [f"(the sandbox clock moves to {moved:%Y-%m-%d %H:%M} UTC)"]
        await asyncio.sleep(1.5)  # the bot notices a moved clock within a second
        await drained(self.database)
        for user in self.telegram_people.values():
            for line in await self.telegram_replies(user, wait=0.2):
                lines.append(f"[telegram] to {user.first_name}: {line}")
        for posted in self.dc.posted[dc_mark:]:
            if posted.where in ("dm", "channel"):
                place = "DM" if posted.where == "dm" else f"channel {posted.channel_id}"
                lines.append(f"[discord] {place}: {discord_line(posted)}")
        return lines


def telegram_line(sent: Sent) -> str:
    text = html_to_text(sent.text) if sent.kind != "edit_markup" else "(buttons updated)"
    buttons = " ".join(f"[{b['text']}]" for b in sent.buttons)
    return f"{text} {buttons}".strip()


def discord_line(posted: Posted) -> str:
    shown = " ".join(f"[{label}]" for label in labels(posted.components))
    return f"{posted.content} {shown}".strip()


def labels(components: list[dict[str, Any]]) -> list[str]:
    """The labels of buttons, and a menu's choices as `choice|choice`."""
    found: list[str] = []
    for item in components:
        if item.get("type") == 2 and item.get("label"):
            found.append(str(item["label"]))
        elif item.get("type") == 3:
            found.append("|".join(str(o.get("label", "")) for o in item.get("options", [])))
        found += labels(item.get("components", []))
    return found


def _component(
    components: list[dict[str, Any]], wanted: list[str]
) -> tuple[str, list[str] | None] | None:
    """The custom id of the button labelled `wanted[0]`, or of the menu offering every label
    in `wanted` with their values."""
    for item in components:
        if item.get("type") == 2 and len(wanted) == 1 and item.get("label") == wanted[0]:
            return str(item["custom_id"]), None
        if item.get("type") == 3:
            options = {str(o.get("label")): str(o.get("value")) for o in item.get("options", [])}
            if all(w in options for w in wanted):
                return str(item["custom_id"]), [options[w] for w in wanted]
        inner = _component(item.get("components", []), wanted)
        if inner is not None:
            return inner
    return None


def _inputs(components: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A form's text fields: (custom id, label)."""
    found: list[tuple[str, str]] = []
    for item in components:
        if item.get("type") == 4:
            found.append((str(item["custom_id"]), str(item.get("label", item["custom_id"]))))
        found += _inputs(item.get("components", []))
        if "component" in item:
            found += _inputs([item["component"]])
    return found


def _moved(now: datetime, to: str) -> datetime:
    text = to.strip()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if text.startswith("+") and text[-1:] in units and text[1:-1].isdigit():
        return now + timedelta(**{units[text[-1]]: int(text[1:-1])})
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def typed_options(defined: list[dict[str, Any]], words: list[str]) -> list[dict[str, Any]]:
    """Typed words as the options of a slash command (subcommands and groups by name)."""
    nested = {o["name"]: o for o in defined if o["type"] in (1, 2)}
    if nested:
        if not words or words[0] not in nested:
            raise ValueError(f"which one? {', '.join(nested)}")
        chosen = nested[words[0]]
        inner = typed_options(chosen.get("options", []), words[1:])
        return [{"type": chosen["type"], "name": chosen["name"], "options": inner}]
    given: list[dict[str, Any]] = []
    for index, option in enumerate(defined):
        if not words:
            break
        last = index == len(defined) - 1
        value: Any = " ".join(words) if last else words[0]
        words = [] if last else words[1:]
        if option["type"] == 4:
            if not value.isdigit():
                raise ValueError(f"Discord takes only a whole number for {option['name']}")
            value = int(value)
        given.append({"type": option["type"], "name": option["name"], "value": value})
    return given


async def drained(db: Path) -> None:
    """Wait (a few seconds at most) until the outbox has nothing waiting."""
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        conn = sqlite3.connect(db)
        try:
            waiting = conn.execute("SELECT COUNT(*) FROM outbox WHERE status='pending'").fetchone()
        finally:
            conn.close()
        if waiting[0] == 0:
            return
        await asyncio.sleep(0.2)


# ----- the kept demo's endpoint ------------------------------------------------------------------
async def serve(kept: Kept) -> None:
    """Serve the actions until SIGINT or SIGTERM; the demo's state file lives as long."""
    from aiohttp import web

    async def act(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"replies": await kept.act(body)})

    app = web.Application()
    app.router.add_post("/act", act)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    DEMOS.mkdir(exist_ok=True)
    state = DEMOS / f"{os.getpid()}.json"
    state.write_text(json.dumps({"url": f"http://127.0.0.1:{port}/act", "pid": os.getpid()}))
    print(f"\nThe fake servers and the bot keep running as demo {os.getpid()} (Ctrl+C to stop).")
    print("Try, in another terminal:")
    print("  penpal-bot sandbox say telegram tess /letters")
    print("  penpal-bot sandbox say telegram cora /coord stats")
    print("  penpal-bot sandbox say discord dana /mypenpals")
    print("  penpal-bot sandbox say discord cora /coord end 1 no reply")
    print('  penpal-bot sandbox press telegram tess "I\'ve replied"')
    print("  penpal-bot sandbox say discord ruth /signup        (anyone new can sign up)")
    print('  penpal-bot sandbox form ruth "Name=Ruth Writer" "Languages=English" ...')
    print("  penpal-bot sandbox clock +3d")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        state.unlink(missing_ok=True)
        await runner.cleanup()


# ----- `penpal-bot sandbox ...` ------------------------------------------------------------------
def running_demos() -> dict[int, str]:
    """Kept demos still running: process id -> endpoint (files of stopped ones are removed)."""
    found: dict[int, str] = {}
    for path in sorted(DEMOS.glob("*.json")) if DEMOS.exists() else []:
        with contextlib.suppress(ValueError, OSError, KeyError):
            state = json.loads(path.read_text(encoding="utf-8"))
            pid = int(state["pid"])
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                path.unlink(missing_ok=True)
                continue
            except PermissionError:
                pass
            found[pid] = str(state["url"])
    return found


async def send(body: dict[str, Any], demo: int | None = None) -> int:
    """One action in a kept demo; its replies are printed. 2 when no demo can be reached."""
    import aiohttp

    demos = running_demos()
    if demo is not None and demo not in demos:
        print(f"No kept demo {demo} is running (running: {sorted(demos) or 'none'}).",
              file=sys.stderr)  # fmt: skip
        return 2
    if not demos:
        print("No demo is running: start one with `penpal-bot demo --keep`.", file=sys.stderr)
        return 2
    if demo is None and len(demos) > 1:
        print(f"Several demos are running ({', '.join(map(str, sorted(demos)))}): choose one "
              "with --demo NUMBER.", file=sys.stderr)  # fmt: skip
        return 2
    url = demos[demo if demo is not None else next(iter(demos))]
    timeout = aiohttp.ClientTimeout(total=120)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, json=body) as answer,
    ):
        replies = (await answer.json())["replies"]
    for reply in replies or ["(no answer)"]:
        print(reply if reply.startswith("(") or reply.startswith("[") else f"bot: {reply}")
    return 0
