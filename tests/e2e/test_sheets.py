"""Spreadsheets through the chat, end to end: a coordinator gets a list as a CSV privately
(Telegram document, Discord ephemeral attachment) with formula cells neutralised, and imports
facilities by sending a CSV (a Telegram document with the command as its caption, a Discord
attachment option): all rows or none, with the same report as the CLI; a file too big, not in
UTF-8 or not sent gets a clear answer; only coordinators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import EVE, START, as_posted, say, seed_registry

HEADER = "name,address_line_1,address_line_2,jurisdiction,mail_rules\n"
HOSTILE = '"=HYPERLINK(""http://evil.example"",""click"")"'


async def test_telegram_export_and_import_by_document(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg), tokens_for(tg=tg), FakeClock(START)):
        good = (HEADER + f"{HOSTILE},PO Box 1,,TX,\nRiver Unit,PO Box 2,Austin TX,TX,\n").encode()
        await tg.user_sends_document(
            COORDINATOR, "facilities.csv", good, "/coord import facilities"
        )
        done = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert done == "facilities imported: 2 added, 0 updated, 0 unchanged."
        await tg.user_says(COORDINATOR, "/coord export facilities")
        sent = await tg.next_message(COORDINATOR.id)
        assert sent.kind == "document" and sent.document is not None
        filename, content = sent.document
        assert filename == "facilities-2026-11-28.csv"
        assert "3 rows. They hold personal data" in html_to_text(sent.text)
        sheet = content.decode("utf-8-sig")
        assert "'=HYPERLINK" in sheet  # a formula is neutralised, not run by a spreadsheet app
        assert sheet.splitlines()[0].startswith("name,address_line_1")

        bad = (HEADER + "No Address Unit,,,TX,\nFine Unit,PO Box 3,,TX,\n").encode()
        await tg.user_sends_document(COORDINATOR, "more.csv", bad, "/coord import facilities")
        refused = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert refused.startswith("facilities: nothing was imported. Fix this problem")
        assert "row 2, column address_line_1: missing" in refused
        latin = (HEADER + "Unidad Juárez,Apartado 5,,MX,\n").encode("latin-1")
        await tg.user_sends_document(COORDINATOR, "latin.csv", latin, "/coord import facilities")
        assert "not text in UTF-8" in html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        huge = HEADER.encode() + b"x" * 5_000_001
        await tg.user_sends_document(COORDINATOR, "huge.csv", huge, "/coord import facilities")
        assert "too big" in html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        alone = html_to_text((await say(tg, COORDINATOR, "/coord import facilities")).text)
        assert alone.startswith("Send the CSV file with “/coord import facilities” as its caption")
        wrong = html_to_text((await say(tg, COORDINATOR, "/coord export everything")).text)
        assert "/coord export penpals|facilities|volunteers|matches|letters" in wrong
        await tg.user_sends_document(EVE, "x.csv", good, "/coord import facilities")
        assert "Only the program's coordinators" in (await tg.next_sent(EVE.id)).text
    names = [n for (n,) in query(db_path, "SELECT name FROM facilities ORDER BY id")]
    assert names == ["Canary Facility", '=HYPERLINK("http://evil.example","click")', "River Unit"]
    actions = [a for (a,) in query(db_path, "SELECT action FROM audit_log ORDER BY id")]
    assert "facility.export" in actions


async def test_discord_export_as_an_attachment_and_import_an_attached_file(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(dc=dc), tokens_for(dc=dc), FakeClock(START)):
        export = [{"type": 2, "name": "sheet", "options": [
            {"type": 1, "name": "export", "options": [
                {"type": 3, "name": "kind", "value": "matches"}]}]}]  # fmt: skip
        answer = as_posted(await dc.slash(coordinator, "coord", export))
        assert answer.ephemeral and "**matches**: 0 rows" in answer.content
        ((filename, content),) = answer.attachments
        assert filename == "matches-2026-11-28.csv"
        assert content.decode("utf-8-sig").startswith("id,volunteer_id,volunteer,penpal_id")
        attached = dc.attach("facilities.csv", (HEADER + "Hill Unit,PO Box 9,,TX,\n").encode())
        imported = [{"type": 2, "name": "sheet", "options": [
            {"type": 1, "name": "import", "options": [
                {"type": 3, "name": "kind", "value": "facilities"},
                {"type": 11, "name": "file", "value": attached["id"]}]}]}]  # fmt: skip
        done = as_posted(await dc.slash(coordinator, "coord", imported, attachments=[attached]))
        assert done.ephemeral and "**facilities** imported: 1 added" in done.content
    assert ("Hill Unit",) in query(db_path, "SELECT name FROM facilities")
