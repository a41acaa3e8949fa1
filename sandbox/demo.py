"""`penpal-bot demo`: the whole program working, with no tokens and no accounts.

Starts the local fake Telegram and Discord servers, a temporary SQLite database and the REAL
bot process (`penpal-bot run`) pointed at them through `api_base_url` and `gateway_url`, as a
user's configuration would. Then plays a story as people would press and type, printing a
transcript. Time is a file the demo moves forward (the bot reads it as its clock), never a
real wait. Any step without the expected answer stops the demo with exit code 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date

from bot.domain.languages import names
from bot.messages import msg, plain, template
from sandbox.fake_discord import FakeDiscord, Member, Posted, Response
from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent, html_to_text
from sandbox.keep import Kept, drained, labels, serve, telegram_line

SAMPLES = Path(__file__).resolve().parent / "samples"
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # a Monday; 08:00 in Chicago
WAIT = 15.0
CORA = FakeUser(900, "Cora", "cora_coord")  # the coordinator, on Telegram
TESS = FakeUser(7001, "Tess", "tess_writes")  # a volunteer on Telegram
DANA = Member(320000000000000001, "dana")  # a volunteer on Discord


class DemoFailure(Exception):
    """A step did not get the answer it expected."""


class Transcript:
    """Readable lines: platform, place, who, private or public; colour on a terminal."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour
        self.lines = 0

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def section(self, title: str) -> None:
        print()
        print(self._paint("1;36", f"== {title} =="))

    def say(self, platform: str, place: str, who: str, text: str, private: bool) -> None:
        self.lines += 1
        tag = "private" if private else "PUBLIC"
        head = f"[{platform:8}] {place:<22} {tag:7} {who:>6}:"
        body = " ".join(text.split())
        if len(body) > 160:
            body = body[:157] + "..."
        print(f"{self._paint('2', head)} {self._paint('33' if who == 'bot' else '0', body)}")

    def note(self, text: str) -> None:
        print(self._paint("2", f"   ({text})"))


class Story:
    """The fakes, the clock file and the transcript, with steps that check their answers."""

    def __init__(
        self,
        tg: FakeTelegram,
        dc: FakeDiscord,
        clock: Path,
        out: Transcript,
        language: str,
        database: Path | None = None,
    ) -> None:
        self.tg, self.dc, self.clock, self.out = tg, dc, clock, out
        self.database = database
        self.backlog: dict[int, list[Sent]] = {}  # shown already, not yet looked for
        self.dc_backlog: list[Posted] = []
        self.now = START
        self.seen_posts = 0
        self.language = language
        # The people's apps are set to the story's language.
        self.tess = replace(TESS, language_code=language)
        self.cora = replace(CORA, language_code=language)
        self.dana = replace(DANA, locale=DANA.locale if language == "en" else language)

    async def section(self, title: str) -> None:
        """A new step of the story, once what the last one set off was sent and shown: the
        transcript keeps the order in which things happened."""
        await self.settle()
        self.out.section(title)

    async def settle(self) -> None:
        """Show what the bot sent since the story last looked (kept to be looked for)."""
        if self.database is not None:
            await drained(self.database)
        for user in (self.tess, self.cora):
            with contextlib.suppress(AssertionError, TimeoutError):
                while True:
                    sent = await self.tg.next_message(user.id, 0.1)
                    self._tg_show(user, sent)
                    self.backlog.setdefault(user.id, []).append(sent)
        for posted in self.dc.posted[self.seen_posts :]:
            self.seen_posts += 1
            if posted.where in ("dm", "channel"):
                self.dc_show(posted)
                self.dc_backlog.append(posted)

    # ----- what people read, in the story's language -----------------------------------------
    def t(self, key: str, **params: object) -> str:
        """A whole sentence (a button's label, say) as the bot writes it to them."""
        return plain(msg(key, **params), self.language)

    def piece(self, key: str) -> str:
        """The longest stretch of a sentence between its placeholders: what to look for when
        the rest depends on the moment (names, dates)."""
        text = template(msg(key), self.language).replace("**", "")
        parts = re.split(r"\{[a-z_]+\}", text)
        return max((p.strip() for p in parts), key=len)

    def day(self, day: date) -> str:
        """A day as the bot writes it to them."""
        return format_date(day, template(msg("format.day"), self.language), locale=self.language)

    # ----- Telegram --------------------------------------------------------------------------
    async def tg_say(self, user: FakeUser, text: str) -> None:
        self.out.say("telegram", f"chat with {user.first_name}", user.first_name, text, True)
        await self.tg.user_says(user, text)

    async def tg_press(self, user: FakeUser, sent: Sent, label: str) -> None:
        self.out.say("telegram", f"chat with {user.first_name}", user.first_name,
                     f"presses [{label}]", True)  # fmt: skip
        await self.tg.user_presses(user, sent, sent.button(label)["callback_data"])

    async def tg_expect(self, user: FakeUser, contains: str) -> Sent:
        """Messages to her until one contains `contains` (each printed once)."""
        backlog = self.backlog.get(user.id, [])
        for index, shown in enumerate(backlog):
            if contains in telegram_line(shown):
                del backlog[: index + 1]
                return shown
        backlog.clear()
        deadline = time.monotonic() + WAIT
        while True:
            try:
                sent = await self.tg.next_message(user.id, max(0.1, deadline - time.monotonic()))
            except (AssertionError, TimeoutError):
                raise DemoFailure(f"Telegram: {user.first_name} never got “{contains}”") from None
            self._tg_show(user, sent)
            if contains in telegram_line(sent):
                return sent
            if time.monotonic() > deadline:
                raise DemoFailure(f"Telegram: {user.first_name} never got “{contains}”")

    def _tg_show(self, user: FakeUser, sent: Sent) -> None:
        self.out.say("telegram", f"chat with {user.first_name}", "bot", telegram_line(sent), True)

    # ----- Discord ---------------------------------------------------------------------------
    def _place(self, posted: Posted) -> tuple[str, bool]:
        if posted.where == "dm":
            return "DM", True
        if posted.ephemeral:
            return "reply only she sees", True
        if posted.channel_id == self.dc.coordinator_channel_id:
            return "#coordinators", False
        if posted.channel_id in self.dc.threads:  # a writing circle's private thread
            return f"thread {self.dc.threads[posted.channel_id]['name']}", True
        return f"channel {posted.channel_id}", False

    def dc_show(self, posted: Posted) -> None:
        place, private = self._place(posted)
        buttons = " ".join(f"[{c}]" for c in labels(posted.components))
        self.out.say("discord", place, "bot", f"{posted.content} {buttons}".strip(), private)

    async def dc_answer(self, who: Member, what: str, response: Response) -> Posted:
        if response.message is None:
            raise DemoFailure(f"Discord: no answer to {who.name}'s {what}")
        self.dc_show(response.message)
        return response.message

    async def dc_expect(self, contains: str, where: str, **filters: Any) -> Posted:
        """Posts from the bot until one in `where` contains `contains` (each printed once)."""

        def wanted(posted: Posted) -> bool:
            return (
                posted.where == where
                and contains in posted.content
                and all(getattr(posted, k) == v for k, v in filters.items())
            )

        for index, shown in enumerate(self.dc_backlog):
            if wanted(shown):
                del self.dc_backlog[: index + 1]
                return shown
        self.dc_backlog.clear()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for posted in self.dc.posted[self.seen_posts :]:
                self.seen_posts += 1
                if posted.where in ("dm", "channel"):
                    self.dc_show(posted)
                if wanted(posted):
                    return posted
            with contextlib.suppress(AssertionError, TimeoutError):
                await self.dc.wait_until(lambda: len(self.dc.posted) > self.seen_posts, 0.5)
        raise DemoFailure(f"Discord: nothing with “{contains}” in {where}")

    # ----- time ------------------------------------------------------------------------------
    async def advance(self, delta: timedelta) -> None:
        await self.settle()  # what happened before the clock moves is shown before it
        self.now += delta
        fresh = self.clock.with_suffix(".new")  # replaced whole: the bot never reads half
        fresh.write_text(self.now.isoformat(), encoding="utf-8")
        fresh.replace(self.clock)
        self.out.note(f"the sandbox clock moves to {self.now:%Y-%m-%d %H:%M} UTC")


MATCHING_CACHE = Path(tempfile.gettempdir()) / "penpal-demo-matching-cache"


def _config(folder: Path, tg: FakeTelegram, dc: FakeDiscord, language: str) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'''[storage]
database = "{folder / "demo.db"}"

[program]
name = "Letters Inside (demo)"
approval_required = true
timezone = "America/Chicago"
default_language = "{language}"

[matching]
cache_dir = "{MATCHING_CACHE}"  # kept between demos: only the first one compiles the engine

[scheduler]
dispatch_interval_seconds = 1
telegram_chat_gap_ms = 0
flood_limit = 100  # the story is played at machine speed

[telegram]
api_base_url = "{tg.base_url}"
coordinator_ids = [{CORA.id}]
poll_timeout = 1

[discord]
api_base_url = "{dc.api_base_url}"
gateway_url = "{dc.gateway_url}"
guild_ids = [{dc.guild_id}]
coordinator_role_ids = [{dc.coordinator_role_id}]
coordinator_channel_id = {dc.coordinator_channel_id}
reminders_channel_id = {dc.reminders_channel_id}
''',
        encoding="utf-8",
    )
    return path


async def _cli(out: Transcript, clock: Path, *args: str) -> None:
    """A coordinator's command in the terminal, on the demo's day (its dates are checked
    against it, as the bot's are)."""
    env = {**os.environ, "PENPAL_SANDBOX_CLOCK": str(clock)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    output, _ = await process.communicate()
    out.say("terminal", "penpal-bot " + args[0], "Cora", " ".join(args), True)
    for line in output.decode().splitlines():
        if line.strip():
            out.say("terminal", "", "", line, True)
    if process.returncode != 0:
        raise DemoFailure(f"penpal-bot {' '.join(args)} failed")


@contextlib.asynccontextmanager
async def _bot(config: Path, clock: Path, tg: FakeTelegram, dc: FakeDiscord) -> AsyncIterator[Any]:
    env = {**os.environ, "PENPAL_TELEGRAM_TOKEN": tg.token, "PENPAL_DISCORD_TOKEN": dc.token,
           "PENPAL_SANDBOX_CLOCK": str(clock), "NO_PROXY": "127.0.0.1,localhost",
           "no_proxy": "127.0.0.1,localhost"}  # fmt: skip
    log = await asyncio.to_thread(open, config.parent / "bot.log", "wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdout=log, stderr=log,
    )  # fmt: skip
    try:
        await dc.wait_identified(timeout=WAIT)
        await tg.wait_for_call("getUpdates", timeout=WAIT)
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 10)
            if process.returncode is None:
                process.kill()
                await process.wait()
        log.close()


async def story(s: Story, config: Path) -> None:
    out = s.out
    out.section("1. A coordinator imports the sample facilities and pen pals")
    await _cli(
        out,
        s.clock,
        "facilities",
        "import",
        str(SAMPLES / "facilities.csv"),
        "--config",
        str(config),
    )
    penpals = str(SAMPLES / "penpals.csv")
    await _cli(out, s.clock, "penpals", "import", penpals, "--config", str(config))

    TESS, CORA, DANA, t, piece = s.tess, s.cora, s.dana, s.t, s.piece
    await s.section("2. Tess signs up on Telegram")
    await s.tg_say(TESS, "/signup")
    await s.tg_expect(TESS, piece("signup.ask.name"))
    await s.tg_say(TESS, "Tess Writer")
    ask = await s.tg_expect(TESS, piece("signup.ask.pronouns"))
    await s.tg_press(TESS, ask, t("button.skip"))
    ask = await s.tg_expect(TESS, piece("signup.ask.languages"))
    english = t("literal", text=names(["en"]))
    await s.tg_press(TESS, ask, english)
    ask = await s.tg_expect(TESS, f"✓ {english}")
    await s.tg_press(TESS, ask, t("button.done"))
    await s.tg_expect(TESS, piece("signup.ask.interests"))
    await s.tg_say(TESS, "books, poetry, music")
    ask = await s.tg_expect(TESS, piece("signup.ask.kinds"))
    await s.tg_press(TESS, ask, t("kind.friendship"))
    ask = await s.tg_expect(TESS, f"✓ {t('kind.friendship')}")
    await s.tg_press(TESS, ask, t("button.done"))
    ask = await s.tg_expect(TESS, piece("signup.ask.woman"))
    await s.tg_press(TESS, ask, t("choice.yes"))
    ask = await s.tg_expect(TESS, piece("signup.ask.capacity"))
    await s.tg_press(TESS, ask, t("capacity.choice", n=1))
    ask = await s.tg_expect(TESS, piece("signup.ask.frequency"))
    await s.tg_press(TESS, ask, t("frequency.monthly"))
    await s.tg_expect(TESS, piece("signup.ask.timezone"))
    await s.tg_say(TESS, "Chicago")
    consent = await s.tg_expect(TESS, piece("signup.ask.consent"))
    await s.tg_press(TESS, consent, t("button.agree"))
    await s.tg_expect(TESS, t("signup.done_pending", name="Tess Writer"))

    await s.section("3. Dana signs up on Discord")
    out.say("discord", "#general", "dana", "/signup", True)
    modal = await s.dc.slash(DANA, "signup")
    if modal.type != 9:
        raise DemoFailure("Discord: /signup did not open the form")
    out.note("a form opens; Dana fills it in")
    step = await s.dc_answer(DANA, "form", await s.dc.submit_modal(DANA, modal, {
        "signup-name": "Dana Writer", "signup-pronouns": "she/her",
        "signup-languages": "English, Spanish", "signup-interests": "faith, gardening",
        "signup-timezone": "Europe/London"}))  # fmt: skip
    for custom_id, values in (("kinds", ["friendship", "spiritual"]), ("woman", ["yes"]),
                              ("capacity", ["1"]), ("frequency", ["weekly"])):  # fmt: skip
        out.say("discord", "reply only she sees", "dana", f"chooses {', '.join(values)}", True)
        step = await s.dc_answer(DANA, custom_id, await s.dc.select(
            DANA, step, f"penpal:signup:answer:{custom_id}", values))  # fmt: skip
    out.say("discord", "reply only she sees", "dana", f"presses [{t('button.agree')}]", True)
    await s.dc_answer(DANA, "consent", await s.dc.click(DANA, step, "penpal:signup:agree"))

    await s.section("4. The coordinator approves both sign-ups with the buttons")
    notices = [await s.tg_expect(CORA, "Tess Writer"), await s.tg_expect(CORA, "Dana Writer")]
    for notice in notices:
        await s.tg_press(CORA, notice, t("button.approve"))
        await s.tg_expect(CORA, piece("coord.approved"))
    await s.tg_expect(TESS, t("volunteer.approved", name="Tess Writer"))
    await s.dc_expect(t("volunteer.approved", name="Dana Writer"), "dm")

    await s.section(
        "5. Matching proposes pairs with reasons; the coordinator confirms, and each volunteer "
        "gets the mailing details, privately"
    )
    await s.tg_say(CORA, "/coord match")
    await s.tg_expect(CORA, t("match.run", run=1, count=2))
    proposals = [await s.tg_expect(CORA, f"[{t('button.confirm')}]") for _ in range(2)]
    for proposal in proposals:
        await s.tg_press(CORA, proposal, t("button.confirm"))
        await s.tg_expect(CORA, piece("match.confirmed"))
    await s.tg_expect(TESS, piece("match.details"))
    details = await s.dc_expect(piece("match.details"), "dm")
    named = re.match(r"\*\*[^*:]*: ([^*]+)\*\*", details.content)  # "Your new pen pal: X"
    if named is None:
        raise DemoFailure("Discord: the mailing details name no pen pal")
    dana_penpal = named.group(1)

    await s.section("6. A letter from inside reaches each volunteer")
    await s.tg_say(TESS, "/letter received")
    await s.tg_expect(TESS, piece("letter.logged_in"))
    out.say("discord", "#general", "dana", "/letter received", True)
    await s.dc_answer(DANA, "/letter", await s.dc.slash(DANA, "letter", [
        {"type": 1, "name": "received", "options": []}]))  # fmt: skip

    await s.section("7. Ten days later: the reply reminders arrive with their buttons")
    await s.advance(timedelta(days=10))
    nudge = await s.tg_expect(TESS, f"[{t('button.replied')}]")
    await s.dc_expect(piece("reminder.reply_soon"), "dm")

    await s.section(f"8. Tess presses “{t('button.replied')}”")
    await s.tg_press(TESS, nudge, t("button.replied"))
    await s.tg_expect(TESS, piece("reminder.replied"))

    await s.section("9. Dana lets hers lapse: the due day, then the coordinators are told")
    await s.advance(timedelta(days=4))
    await s.dc_expect(piece("reminder.reply_due"), "dm")
    await s.advance(timedelta(days=8))
    await s.tg_expect(CORA, piece("coord.alert.overdue"))
    await s.dc_expect(
        piece("coord.alert.overdue"), "channel", channel_id=s.dc.coordinator_channel_id
    )

    await s.section("10. The coordinators' daily digest")
    await s.advance(timedelta(days=1))
    await s.tg_expect(CORA, s.day(s.now.date()))

    await s.section("11. A letter to Tess's pen pal comes back: the coordinator finds where she is")
    await s.tg_say(TESS, "/letter returned moved")
    await s.tg_expect(TESS, piece("returned.logged"))
    alert = await s.tg_expect(CORA, piece("coord.alert.returned"))
    await s.tg_press(CORA, alert, t("button.address_where"))
    where = await s.tg_expect(CORA, "/coord transfer ")
    moved = re.search(r"/coord transfer (\d+)", html_to_text(where.text))
    if moved is None:
        raise DemoFailure("Telegram: where is she? names no pen pal number")
    her = moved.group(1)
    await s.tg_say(CORA, f"/coord transfer {her} A-20260327 Sample County Detention Center")
    await s.tg_expect(CORA, t("penpal.transferred", id=int(her)))
    await s.tg_expect(TESS, piece("penpal.transferred_volunteer"))

    await s.section("12. A release date comes: Dana is told before, and on the day")
    await s.tg_say(CORA, f"/coord find {dana_penpal}")
    found = re.search(r"#(\d+) " + re.escape(dana_penpal), html_to_text(
        (await s.tg_expect(CORA, dana_penpal)).text))  # fmt: skip
    if found is None:
        raise DemoFailure(f"Telegram: /coord find {dana_penpal} found nobody")
    release = (s.now + timedelta(days=5)).date().isoformat()
    await s.tg_say(CORA, f"/coord releasedate {found.group(1)} {release}")
    await s.tg_expect(CORA, piece("release.date_set"))
    await s.advance(timedelta(days=1))
    await s.dc_expect(piece("release.soon_volunteer"), "dm")
    await s.advance(timedelta(days=4))
    await s.dc_expect(piece("match.ended_volunteer_released"), "dm")
    await s.tg_expect(CORA, piece("coord.alert.released"))
    await circle(s)


async def circle(s: Story) -> None:
    """Dana and Tess adopt one woman together, on two platforms, and answer her in turn."""
    TESS, CORA, DANA, t, piece, out = s.tess, s.cora, s.dana, s.t, s.piece, s.out
    await s.section("13. Dana starts a writing circle; the coordinator approves her as its lead")
    circle_name = t("literal", text="Night Owls")
    out.say("discord", "#general", "dana", f"/circle create {circle_name}", True)
    await s.dc_answer(DANA, "/circle create", await s.dc.slash(DANA, "circle", [
        {"type": 1, "name": "create", "options": [
            {"type": 3, "name": "name", "value": circle_name}]}]))  # fmt: skip
    notice = await s.tg_expect(CORA, piece("circle.approve_lead"))
    await s.tg_press(CORA, notice, t("button.approve"))
    await s.tg_expect(CORA, piece("circle.approved"))
    await s.dc_expect(piece("circle.lead_approved"), "dm")

    await s.section("14. Tess joins from Telegram; the circle gets a private thread on Discord")
    out.say("discord", "#general", "dana", f"/circle invite @{TESS.username}", True)
    await s.dc_answer(DANA, "/circle invite", await s.dc.slash(DANA, "circle", [
        {"type": 1, "name": "invite", "options": [
            {"type": 3, "name": "who", "value": f"@{TESS.username}"}]}]))  # fmt: skip
    invited = await s.tg_expect(TESS, piece("circle.invited"))
    await s.tg_press(TESS, invited, t("button.circle_join"))
    await s.tg_expect(TESS, piece("circle.joined"))
    out.say("discord", "#general", "dana", "/circle here", True)
    await s.dc_answer(DANA, "/circle here", await s.dc.slash(DANA, "circle", [
        {"type": 1, "name": "here", "options": []}]))  # fmt: skip

    await s.section(
        "15. The coordinator matches a woman to the circle: each member gets her details "
        "privately, the thread only whose turn it is"
    )
    await s.tg_say(CORA, "/coord penpal")
    listed = html_to_text((await s.tg_expect(CORA, "#")).text)
    found = re.search(r"#(\d+) ([^·\n]+) · [^·\n]*\ben\b", listed)  # she reads English
    if found is None:
        raise DemoFailure("Telegram: nobody who writes English is waiting")
    await s.tg_say(CORA, f"/coord circle match {found.group(1)} {circle_name}")
    await s.tg_expect(CORA, piece("circle.matched"))
    await s.tg_expect(TESS, piece("circle.details"))
    await s.dc_expect(piece("circle.details"), "dm")
    await s.dc_expect(piece("circle.place.matched"), "channel")

    await s.section(
        "16. Her letter comes: Dana's turn; Dana passes, Tess answers, the turn moves on"
    )
    out.say("discord", "#general", "dana", "/letter received", True)
    await s.dc_answer(DANA, "/letter", await s.dc.slash(DANA, "letter", [
        {"type": 1, "name": "received", "options": []}]))  # fmt: skip
    await s.dc_expect(piece("circle.place.letter_in"), "channel")
    out.say("discord", "#general", "dana", "/circle pass", True)
    await s.dc_answer(DANA, "/circle pass", await s.dc.slash(DANA, "circle", [
        {"type": 1, "name": "pass", "options": []}]))  # fmt: skip
    await s.tg_expect(TESS, piece("circle.turn_passed_due"))
    await s.tg_say(TESS, "/letter sent")
    choose = await s.tg_expect(TESS, piece("letter.choose"))
    await s.tg_press(TESS, choose, found.group(2).strip())
    await s.tg_expect(TESS, piece("letter.logged_out"))
    await s.dc_expect(piece("circle.place.answered"), "channel")


def summary(db: Path, out: Transcript) -> bool:
    """The table at the end; True when nothing was lost."""
    conn = sqlite3.connect(db)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        rows = [
            ("volunteers active", one("SELECT COUNT(*) FROM volunteers WHERE status='active'")),
            ("matches active", one("SELECT COUNT(*) FROM matches WHERE status='active'")),
            ("letters logged", one("SELECT COUNT(*) FROM letters")),
            ("reminders sent", one("SELECT COUNT(*) FROM outbox WHERE status='sent' AND "
                                   "message_key LIKE 'reminder.%'")),
            ("messages sent", one("SELECT COUNT(*) FROM outbox WHERE status='sent'")),
            ("messages lost (failed, missed or still waiting)",
             one("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")),
        ]  # fmt: skip
    finally:
        conn.close()
    out.section("Summary")
    for name, value in rows:
        print(f"  {name:<48} {value:>4}")
    lost = rows[-1][1]
    print(f"  {'nothing lost':<48} {'yes' if lost == 0 else 'NO':>4}")
    return bool(lost == 0)


async def run_demo(keep: bool = False, colour: bool | None = None, language: str = "en") -> int:
    """Run the story; 0 when every step got its answer and nothing was lost."""
    out = Transcript(sys.stdout.isatty() if colour is None else colour)
    started = time.monotonic()
    tg, dc = FakeTelegram(), FakeDiscord()
    await tg.start()
    await dc.start()
    with tempfile.TemporaryDirectory(prefix="penpal-demo-") as name:
        folder = Path(name)
        clock = folder / "clock.txt"
        clock.write_text(START.isoformat(), encoding="utf-8")
        config = _config(folder, tg, dc, language)
        s = Story(tg, dc, clock, out, language, folder / "demo.db")
        try:
            out.section("Starting the fake Telegram and Discord servers and the real bot")
            out.note(f"Telegram API {tg.base_url}, Discord gateway {dc.gateway_url}")
            async with _bot(config, clock, tg, dc):
                await story(s, config)
                await asyncio.sleep(0)
                await drained(folder / "demo.db")
                ok = summary(folder / "demo.db", out)
                if keep:
                    coordinator = Member(
                        320000000000000009, "cora", roles=(dc.coordinator_role_id,)
                    )
                    people = {"tess": s.tess, "cora": s.cora}
                    await serve(Kept(tg, dc, clock, folder / "demo.db", people,
                                     {"dana": s.dana, "cora": coordinator}))  # fmt: skip
        except DemoFailure as failure:
            print(f"\nDEMO FAILED: {failure}", file=sys.stderr)
            print((folder / "bot.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            return 1
        finally:
            await tg.stop()
            await dc.stop()
    print(f"\nThe demo took {time.monotonic() - started:.1f} s.")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        language = args[args.index("--language") + 1] if "--language" in args[:-1] else "en"
        return asyncio.run(run_demo(keep="--keep" in args, language=language))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
