"""The coordinators' web workspace end to end: a coordinator asks the bot for a link on Telegram
or Discord, opens it (once; a preview's GET does not use it up), and reads every page; without a
session every page gives only the login hint; a used or expired link is refused; a coordinator
who loses her role loses her sessions; every view is audited; no link in a log."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app.config import Config, WebConfig
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    EVE,
    START,
    ann_matched_on_telegram,
    as_posted,
    say,
    seed_registry,
)

PAGES = ("/", "/waiting", "/proposals", "/matches", "/volunteers", "/addresses", "/concerns",
         "/circles", "/charts", "/report", "/audit", "/report.csv", "/charts/letters.svg")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def with_web(config: Config) -> Config:
    return replace(config, web=WebConfig(listen=f"127.0.0.1:{free_port()}"))


def link_in(text: str) -> str:
    found = re.search(r"(http://\S+/login/\S+)", text)
    assert found, text
    return found.group(1)


def browser() -> aiohttp.ClientSession:
    """A browser of its own (cookies accepted from 127.0.0.1), with a Spanish-free header."""
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True), headers={"Accept-Language": "en-GB,en;q=0.8"}
    )


async def test_telegram_link_opens_every_page_once_and_nothing_without_it(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    config = with_web(make_config(tg=tg, approval=False))
    async with running(config, tokens_for(tg=tg), clock) as app:
        await ann_matched_on_telegram(tg)
        refused = html_to_text((await say(tg, EVE, "/coord web")).text)
        assert "Only the program's coordinators" in refused
        answer = await say(tg, COORDINATOR, "/coord web")
        text = html_to_text(answer.text)
        assert "It works once, within 10 minutes" in text
        link = link_in(text)
        base = link.split("/login/")[0]
        async with browser() as stranger:
            for path in PAGES:
                async with stranger.get(base + path) as response:
                    assert response.status == 401
                    body = await response.text()
                    assert "send /coord web to the bot" in body and "Vella" not in body
            async with stranger.get(base + "/static/style.css") as response:
                assert response.status == 200  # the style sheet holds no data
        async with browser() as cora:
            async with cora.get(link) as response:  # a preview's GET: a button, nothing used
                assert response.status == 200 and "Open the workspace" in await response.text()
                assert response.headers["Referrer-Policy"] == "no-referrer"
            async with cora.post(link) as response:
                assert response.status == 200 and str(response.url) == base + "/"
                glance = await response.text()
            assert (
                '<span class="n">1</span> <a href="/waiting">woman waiting for a pen pal' in glance
            )
            assert "the longest waiting since 2025-06-01" in glance
            assert '<span class="n">1</span> <a href="/matches">active match</a>' in glance
            cookie = next(c for c in cora.cookie_jar if c.key == "penpal_workspace")
            assert cookie["httponly"] and cookie["samesite"] == "Strict"
            for path in PAGES:
                async with cora.get(base + path) as response:
                    assert response.status == 200, path
                    assert (
                        response.content_type != "text/html" or "Log out" in await response.text()
                    )
            async with cora.get(base + "/waiting?language=es&sort=name") as response:
                waiting = await response.text()
            assert "women waiting, as filtered" in waiting or "woman waiting" in waiting
            async with cora.get(base + "/matches") as response:
                matches = await response.text()
            assert "Ann Writer" in matches and "Vella" in matches
            async with cora.get(base + "/audit?action=web.") as response:
                audit = await response.text()
            assert "web.login" in audit and "page:/matches" in audit
            async with cora.get(base + "/charts") as response:
                charts = await response.text()
            assert charts.count('<img class="chart"') == 5 and charts.count("<details>") == 5
            async with cora.get(base + "/charts/letters.svg") as response:
                svg = await response.text()
                assert response.content_type == "image/svg+xml"
            assert svg.count('class="dot ') == 52  # 26 weeks, each way
            assert "<script" not in svg or "src=" not in svg.split("<script", 1)[1][:80]
            async with cora.get(base + "/report.csv?from=2026-01-01&to=2026-11-30") as response:
                assert response.headers["Content-Disposition"].startswith("attachment;")
                sheet = (await response.read()).decode("utf-8-sig")
            assert sheet.splitlines()[:3] == [
                "Figure,Value", "Period,2026-01-01 – 2026-11-30", "Women who had a pen pal,1"
            ]  # fmt: skip
            async with cora.get(base + "/waiting?min_days=abc&page=-3&sort=<script>") as response:
                assert response.status == 200  # bad filters are ignored, never an error
                assert "<script>" not in await response.text()
        async with browser() as again, again.post(link) as response:  # the link works once
            assert response.status == 403
            assert "used already, has expired" in await response.text()
        late = link_in(html_to_text((await say(tg, COORDINATOR, "/coord web")).text))
        clock.advance(timedelta(minutes=11))
        async with browser() as slow, slow.post(late) as response:
            assert response.status == 403
        assert app.workspace is not None
    views = query(db_path, "SELECT subject FROM audit_log WHERE action = 'web.view'")
    assert ("page:/waiting",) in views and ("page:/audit",) in views
    assert ("download:/report.csv",) in views
    tokens = [link.rsplit("/", 1)[1], late.rsplit("/", 1)[1]]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(token in logged for token in tokens)  # a login link is never logged
    stored = "\n".join(str(row) for row in query(db_path, "SELECT * FROM web_links"))
    assert not any(token in stored for token in tokens)  # only its hash is kept


async def test_discord_a_coordinator_who_loses_her_role_loses_her_sessions(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    coordinator = discord_coordinator(dc)
    clock = FakeClock(START)
    config = with_web(make_config(dc=dc))
    async with running(config, tokens_for(dc=dc), clock):
        web = [{"type": 1, "name": "web", "options": []}]
        answer = as_posted(await dc.slash(coordinator, "coord", web))
        assert answer.ephemeral
        link = link_in(answer.content.replace("\\", ""))
        base = link.split("/login/")[0]
        refused = as_posted(await dc.slash(Member(310000000000000002, "eve"), "coord", web))
        assert "Only the program's" in refused.content
        async with browser() as cora:
            async with cora.post(link) as response:
                assert response.status == 200 and "At a glance" in await response.text()
            dc.members[coordinator.id] = Member(coordinator.id, "cora")  # the role is taken away
            async with cora.get(base + "/volunteers") as response:
                assert response.status == 200  # asked of Discord at most once a minute
            clock.advance(timedelta(minutes=2))
            async with cora.get(base + "/volunteers") as response:
                assert response.status == 401
            dc.members[coordinator.id] = coordinator  # given back: the old session stays ended
            clock.advance(timedelta(minutes=2))
            async with cora.get(base + "/") as response:
                assert response.status == 401
    assert query(db_path, "SELECT COUNT(*) FROM web_sessions") == [(0,)]
    assert query(db_path, "SELECT action FROM audit_log WHERE action = 'web.sessions_ended'") == [
        ("web.sessions_ended",)
    ]


async def test_without_web_listen_the_command_says_how_to_switch_it_on(
    tg: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        answer = html_to_text((await say(tg, COORDINATOR, "/coord web")).text)
        assert answer.startswith("The web workspace is not switched on for this program")
    assert ANN  # (the helpers' people are shared)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


async def test_the_pages_act_as_the_chat_does_and_need_their_token(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    """Approve a sign-up, confirm a proposal and confirm an address from the pages: the same
    service calls (the volunteer is told on Telegram), audited, and refused without the form's
    token."""
    from tests.e2e.helpers import answer_until_consent, press

    await seed_registry(db_path)
    config = with_web(make_config(tg=tg, approval=True))
    async with running(config, tokens_for(tg=tg), FakeClock(START)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        await tg.next_sent(COORDINATOR.id)  # the sign-up, in the chat
        link = link_in(html_to_text((await say(tg, COORDINATOR, "/coord web")).text))
        base = link.split("/login/")[0]
        async with browser() as cora:
            async with cora.post(link) as response:
                token = csrf_of(await response.text())
            async with cora.get(base + "/volunteers") as response:
                page = await response.text()
            assert "1 sign-up awaiting approval" in page and "/do/approve/1" in page
            async with cora.post(base + "/do/approve/1", data={"csrf": "forged"}) as response:
                assert response.status == 403
            async with (
                browser() as stranger,
                stranger.post(base + "/do/approve/1", data={"csrf": token}) as response,
            ):
                assert response.status == 403  # no session: the token alone is nothing
            async with cora.post(base + "/do/approve/1", data={"csrf": token}) as response:
                assert str(response.url) == base + "/volunteers"
                assert "Approved volunteer #1 (Ann Writer)" in await response.text()
            approved = html_to_text((await tg.next_sent(ANN.id)).text)
            assert "approved" in approved.lower()
            async with cora.post(base + "/do/approve/1", data={"csrf": token}) as response:
                assert "Approved volunteer" not in await response.text()  # decided already
            await say(tg, COORDINATOR, "/coord match")
            await tg.next_sent(COORDINATOR.id)
            async with cora.get(base + "/proposals") as response:
                page = await response.text()
            assert "2 proposed matches waiting for your decision" in page
            number = re.search(r"/do/confirm/(\d+)", page)
            assert number is not None
            async with cora.post(base + f"/do/confirm/{number.group(1)}", data={"csrf": token}):
                pass
            details = html_to_text((await tg.next_sent(ANN.id)).text)
            assert details.startswith("Your new pen pal: Vella")
            async with cora.get(base + "/addresses") as response:
                page = await response.text()
            assert "/do/still_there/1" in page
            async with cora.post(base + "/do/still_there/1", data={"csrf": token}) as response:
                assert "is confirmed today" in await response.text()
            async with cora.post(base + "/do/burn/1", data={"csrf": token}) as response:
                assert response.status == 404
    actions = [a for (a,) in query(db_path, "SELECT action FROM audit_log ORDER BY id")]
    assert "volunteer.approve" in actions and "match.confirm" in actions
    assert "penpal.address_confirmed" in actions


async def test_the_spreadsheets_page_downloads_and_imports(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    config = with_web(make_config(tg=tg))
    async with running(config, tokens_for(tg=tg), FakeClock(START)):
        link = link_in(html_to_text((await say(tg, COORDINATOR, "/coord web")).text))
        base = link.split("/login/")[0]
        async with browser() as cora:
            async with cora.post(link) as response:
                token = csrf_of(await response.text())
            async with cora.get(base + "/sheets/penpals.csv") as response:
                assert response.headers["Content-Disposition"].endswith('penpals-2026-11-28.csv"')
                sheet = (await response.read()).decode("utf-8-sig")
            assert sheet.startswith("committed_name,") and "Vella" in sheet
            form = aiohttp.FormData()
            form.add_field("csrf", token)
            form.add_field("kind", "facilities")
            form.add_field("file", b"name,address_line_1\nLake Unit,PO Box 4\n",
                           filename="f.csv", content_type="text/csv")  # fmt: skip
            async with cora.post(base + "/sheets/import", data=form) as response:
                assert "facilities</strong> imported: 1 added" in await response.text()
            forged = aiohttp.FormData()
            forged.add_field("csrf", "nope")
            forged.add_field("kind", "facilities")
            forged.add_field("file", b"name,address_line_1\nX,Y\n", filename="f.csv")
            async with cora.post(base + "/sheets/import", data=forged) as response:
                assert response.status == 403
        async with browser() as stranger, stranger.get(base + "/sheets/penpals.csv") as response:
            assert response.status == 401 and "Vella" not in await response.text()
    assert ("Lake Unit",) in query(db_path, "SELECT name FROM facilities")
    views = query(db_path, "SELECT subject FROM audit_log WHERE action = 'web.view'")
    assert ("download:/sheets/penpals.csv",) in views


async def test_the_circles_page_approves_a_lead_shows_turns_and_ends_a_circle(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    from tests.e2e.helpers import CANARY_ID, EVE, answer_until_consent, press

    await seed_registry(db_path)
    config = with_web(make_config(tg=tg, approval=False))
    async with running(config, tokens_for(tg=tg), FakeClock(START)):
        for user, name in ((ANN, "Ann Writer"), (EVE, "Eve Writer")):
            consent = await answer_until_consent(tg, user, name=name)
            await press(tg, user, consent, "I agree")
            await tg.next_sent(user.id)
        await say(tg, ANN, "/circle create Book Club")
        assert "new writing circle" in (await tg.next_sent(COORDINATOR.id)).text
        link = link_in(html_to_text((await say(tg, COORDINATOR, "/coord web")).text))
        base = link.split("/login/")[0]
        async with browser() as cora:
            async with cora.post(link) as response:
                token = csrf_of(await response.text())
            async with cora.get(base + "/circles") as response:
                page = await response.text()
            assert "One writing circle" in page and "/do/circle_approve/1" in page
            async with cora.post(base + "/do/circle_approve/1", data={"csrf": token}) as response:
                assert "The circle “Book Club” is approved" in await response.text()
            assert "is approved" in (await tg.next_sent(ANN.id)).text
            await say(tg, ANN, "/circle invite @eve")
            await press(tg, EVE, await tg.next_sent(EVE.id), "Join")
            await tg.next_sent(EVE.id)
            matched = await say(tg, COORDINATOR, "/coord circle match 1 Book Club")
            assert "writes to Vella" in matched.text, matched.text
            async with cora.get(base + "/circles") as response:
                page = await response.text()
            assert "Ann Writer, Eve Writer" in page
            assert "Vella: Ann Writer&#x27;s turn (0 letters logged)" in page
            assert CANARY_ID not in page
            async with cora.get(base + "/matches") as response:
                assert "Ann Writer (circle “Book Club”)" in await response.text()
            dissolve = base + "/do/circle_dissolve/1"
            async with cora.post(dissolve, data={"csrf": token}) as response:
                assert "is ended" not in await response.text()  # the box was not ticked
            async with cora.post(dissolve, data={"csrf": token, "sure": "yes"}) as response:
                assert "“Book Club” is ended; its pen pal waits again" in await response.text()
    assert query(db_path, "SELECT status FROM penpals WHERE preferred_name = 'Vella'") == [
        ("waiting",)
    ]
    actions = [a for (a,) in query(db_path, "SELECT action FROM audit_log ORDER BY id")]
    assert "circle.approve" in actions and "circle.dissolve" in actions
