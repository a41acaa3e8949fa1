"""The workspace in a real headless browser (Debian's chromium driven by Playwright): log in
through the link sent on the fake Telegram, open every page, check the charts carry the
expected points, download the report, confirm a proposal from the page and see the volunteer
get her details on the fake Telegram; a second browser without the link gets only the login
hint, and a used link is refused. With PENPAL_SCREENSHOTS set to a folder, the main pages are
saved there as PNG (the README's pictures: `PENPAL_SCREENSHOTS=docs/screenshots`).

Chromium comes from Debian (`.ci/run` installs it). Without it the test is skipped, except
where PENPAL_BROWSER_REQUIRED is set (CI sets it), where it fails."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, running, tokens_for
from tests.e2e.helpers import ANN, START, answer_until_consent, press, say, seed_registry
from tests.e2e.test_workspace import link_in, with_web

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("PENPAL_BROWSER_REQUIRED"):
    pytest.skip("no chromium here (CI installs it)", allow_module_level=True)

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
NAV = ("At a glance", "Waiting list", "Proposals", "Matches", "Volunteers", "Addresses",
       "Concerns", "Charts", "Report", "Spreadsheets", "Audit log")  # fmt: skip


async def fresh_link(tg: FakeTelegram) -> str:
    """A new link from the bot (what it sent the coordinator before is passed over)."""
    await tg.user_says(COORDINATOR, "/coord web")
    answer = await tg.next_sent(COORDINATOR.id)
    while "/login/" not in answer.text:
        answer = await tg.next_sent(COORDINATOR.id)
    return link_in(html_to_text(answer.text))


async def test_a_coordinator_runs_the_program_from_a_real_browser(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, "chromium is required here (PENPAL_BROWSER_REQUIRED is set)"
    shots = Path(os.environ.get("PENPAL_SCREENSHOTS", "") or tmp_path)
    os.makedirs(shots, exist_ok=True)
    await seed_registry(db_path)
    config = with_web(make_config(tg=tg, approval=False))
    clock = FakeClock(START)
    async with running(config, tokens_for(tg=tg), clock), async_playwright() as pw:
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        await say(tg, COORDINATOR, "/coord match")  # the proposals: left for the page
        link = await fresh_link(tg)
        base = link.split("/login/")[0]
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            cora = await browser.new_context(viewport={"width": 1100, "height": 900})
            page = await cora.new_page()
            await page.goto(link)
            await page.get_by_role("button", name="Open the workspace").click()
            await page.wait_for_url(base + "/")
            assert await page.locator("h1").inner_text() == "At a glance"
            cards = await page.locator(".cards li").all_inner_texts()
            assert any(re.match(r"2\s+women waiting for a pen pal", c) for c in cards), cards
            await page.screenshot(path=str(shots / "glance.png"), full_page=True)
            for name in NAV:  # every page, by its link, as a coordinator would go
                await (
                    page.get_by_role("navigation")
                    .get_by_role("link", name=name, exact=True)
                    .click()
                )
                assert await page.locator("h1").inner_text() == name
                if name in ("Waiting list", "Charts", "Report", "Proposals"):
                    await page.screenshot(
                        path=str(shots / f"{name.lower().replace(' ', '-')}.png"), full_page=True
                    )
            await page.goto(base + "/charts")
            images = page.locator("img.chart")
            assert await images.count() == 5
            for index in range(5):  # every chart drawn (the picture loaded)
                width = await images.nth(index).evaluate("img => img.naturalWidth")
                assert width > 0
            svg = await (await cora.request.get(base + "/charts/letters.svg")).text()
            assert svg.count('class="dot ') == 52  # 26 weeks, each way
            await page.locator("details summary").first.click()
            assert await page.locator("details table tbody tr").first.is_visible()
            await page.goto(base + "/report")
            async with page.expect_download() as waiting:
                await page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
            report = await (await waiting.value).path()
            with open(report, encoding="utf-8-sig") as sheet:  # noqa: ASYNC230 (a small file)
                assert sheet.readline().strip() == "Figure,Value"
            await page.goto(base + "/proposals")
            await page.get_by_role("button", name="Confirm").first.click()
            await page.wait_for_url(base + "/proposals")
            assert "now writes to" in await page.locator("p.hint").inner_text()
            details = html_to_text((await tg.next_sent(ANN.id)).text)
            assert details.startswith("Your new pen pal:")

            # A phone: nothing wider than the screen but the tables, which scroll in their box;
            # the keyboard reaches the skip link first, and every field has its label.
            phone = await browser.new_context(viewport={"width": 390, "height": 844})
            await phone.add_cookies(await cora.cookies())
            small = await phone.new_page()
            for path in ("/", "/waiting", "/proposals", "/report"):
                await small.goto(base + path)
                width = await small.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (path, width)
            await small.keyboard.press("Tab")
            focused = await small.evaluate("document.activeElement.textContent")
            assert focused == "Skip to the content"
            await small.goto(base + "/waiting")
            unlabelled = await small.evaluate(
                "[...document.querySelectorAll('input:not([type=hidden]), select')]"
                ".filter(e => !e.closest('label')).length"
            )
            assert unlabelled == 0
            await phone.close()

            stranger = await browser.new_context()
            other = await stranger.new_page()
            for path in ("/", "/waiting", "/report", "/sheets/penpals.csv"):
                response = await other.goto(base + path)
                assert response is not None and response.status == 401
                assert "send /coord web to the bot" in await other.content()
            await other.goto(link)  # the link, used already
            await other.get_by_role("button", name="Open the workspace").click()
            assert "used already" in await other.locator("p.hint").inner_text()
            late = await fresh_link(tg)
            clock.advance(timedelta(minutes=11))  # links last 10 minutes
            await other.goto(late)
            await other.get_by_role("button", name="Open the workspace").click()
            assert "has expired" in await other.locator("p.hint").inner_text()
            await page.get_by_role("button", name="Log out").click()
            response = await page.goto(base + "/matches")
            assert response is not None and response.status == 401
        finally:
            await browser.close()
