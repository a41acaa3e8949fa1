"""Catalogue entries for the coordinators' web workspace (merged into `bot.messages.CATALOGUE`)."""

from __future__ import annotations

from bot.messages.forms import Entry, Plural

WORKSPACE_MESSAGES: dict[str, Entry] = {
    "cmd.coord.web": "A private link to the coordinators' web workspace",
    "coord.line.web": "/coord web – a link to the web workspace, for you only (it works once)",
    "web.off": (
        "The web workspace is not switched on for this program: the server's administrator sets "
        "[web] listen in the configuration (see the README)."
    ),
    "web.link": (
        "Your link to the coordinators' workspace. It works once, within {minutes} minutes; "
        "keep it to yourself:\n{url}"
    ),
    "web.title": "Workspace of {program}",
    "web.skip": "Skip to the content",
    "web.nav": "Pages",
    "web.nav.glance": "At a glance",
    "web.nav.waiting": "Waiting list",
    "web.nav.matches": "Matches",
    "web.nav.proposals": "Proposals",
    "web.nav.addresses": "Addresses",
    "web.nav.volunteers": "Volunteers",
    "web.nav.concerns": "Concerns",
    "web.nav.audit": "Audit log",
    "web.nav.circles": "Circles",
    "web.nav.charts": "Charts",
    "web.nav.report": "Report",
    "web.nav.sheets": "Spreadsheets",
    "web.logout": "Log out",
    "web.hint_title": "Coordinators' workspace",
    "web.login_hint": (
        "This page is for the program's coordinators. To open it, send /coord web to the bot "
        "on Telegram or Discord: it sends you a link that works once."
    ),
    "web.login_title": "Open the workspace",
    "web.login_text": "This link opens the coordinators' workspace for you, once.",
    "web.login_button": "Open the workspace",
    "web.link_refused": (
        "This link has been used already, has expired (links last 10 minutes), or is not for "
        "a coordinator. Send /coord web to the bot for a new one."
    ),
    "web.card.waiting": Plural(
        "woman waiting for a pen pal", "women waiting for a pen pal", count="n"
    ),
    "web.card.matches": Plural("active match", "active matches", count="n"),
    "web.card.proposals": Plural(
        "proposed match to confirm or skip", "proposed matches to confirm or skip", count="n"
    ),
    "web.card.letters_in": Plural("letter from inside", "letters from inside", count="n"),
    "web.card.letters_out": Plural("letter from a volunteer", "letters from volunteers", count="n"),
    "web.card.overdue": Plural("reply overdue", "replies overdue", count="n"),
    "web.card.concerns": Plural("open concern", "open concerns", count="n"),
    "web.card.pending": Plural(
        "sign-up awaiting approval", "sign-ups awaiting approval", count="n"
    ),
    "web.card.doubt": Plural("address in doubt", "addresses in doubt", count="n"),
    "web.card.unchecked": Plural(
        "address not confirmed lately", "addresses not confirmed lately", count="n"
    ),
    "web.card.at_program": Plural("letter at the program", "letters at the program", count="n"),
    "web.oldest_since": "the longest waiting since {day}",
    "web.in_month": "in {month}",
    "web.cell": "{value}",
    "web.never": "–",
    "web.any": "Any",
    "web.show": "Show",
    "web.min_days": "Waiting at least (days)",
    "web.sort": "Order",
    "web.sort.waiting": "Longest waiting first",
    "web.sort.name": "By name",
    "web.sort.facility": "By facility",
    "web.pages": "Pages of the list",
    "web.previous": "◀ Previous",
    "web.next": "Next ▶",
    "web.page_of": "Page {page} of {pages}",
    "web.waiting_caption": Plural(
        "1 woman waiting, as filtered", "{count} women waiting, as filtered", count="count"
    ),
    "web.matches_caption": Plural(
        "1 match under way, the longest silence from inside first",
        "{count} matches under way, the longest silence from inside first",
        count="count",
    ),
    "web.volunteers_caption": Plural("1 volunteer", "{count} volunteers", count="count"),
    "web.concerns_caption": Plural(
        "1 open concern, then the latest handled",
        "{count} open concerns, then the latest handled",
        count="count",
    ),
    "web.audit_caption": Plural(
        "1 entry, the newest first", "{count} entries, the newest first", count="count"
    ),
    "web.col.name": "Name",
    "web.col.facility": "Facility",
    "web.col.language": "Language",
    "web.col.languages": "Languages",
    "web.col.kind": "Kind of letters",
    "web.col.kinds": "Kinds of letters",
    "web.col.waiting_since": "Waiting since",
    "web.col.days": "Days",
    "web.col.match": "Match",
    "web.col.volunteer": "Volunteer",
    "web.col.penpal": "Pen pal",
    "web.col.status": "Status",
    "web.col.since": "Matched on",
    "web.col.last_in": "Last letter from her",
    "web.col.last_out": "Last letter to her",
    "web.col.number": "Number",
    "web.col.platforms": "Platforms",
    "web.col.load": "Pen pals / room",
    "web.col.reliability": "Replies on time",
    "web.col.date": "Date",
    "web.col.details": "What she wrote",
    "web.col.when": "When (UTC)",
    "web.col.who": "Who",
    "web.col.action": "What",
    "web.col.record": "Record",
    "web.since": "From",
    "web.until": "Until",
    "web.match_status.active": "active",
    "web.match_status.paused": "paused",
    "web.on_time": Plural("{percent}% (of 1 reply)", "{percent}% (of {n} replies)", count="n"),
    "web.no_replies": "no reply yet",
    "web.concern_open": "open",
    "web.concern_handled": "handled: {note}",
    "web.col.proposed": "Proposed on",
    "web.col.score": "Score",
    "web.col.do": "Act",
    "web.col.lead": "Lead",
    "web.col.members": "Members, in turn",
    "web.col.writing": "Writing to",
    "web.circles_caption": Plural("One writing circle", "{count} writing circles", count="count"),
    "web.circle_dissolve_sure": "Yes: its pen pals wait again",
    "button.circle_dissolve": "End the circle",
    "web.col.doubt": "In doubt",
    "web.col.confirmed": "Last confirmed",
    "web.col.room": "Up to",
    "web.col.signed_up": "Signed up",
    "web.in_doubt_since": "since {day}",
    "web.proposals_caption": Plural(
        "1 proposed match waiting for your decision",
        "{count} proposed matches waiting for your decision",
        count="count",
    ),
    "web.addresses_caption": Plural(
        "1 address to check: in doubt first, then the longest unconfirmed",
        "{count} addresses to check: in doubt first, then the longest unconfirmed",
        count="count",
    ),
    "web.pending_caption": Plural(
        "1 sign-up awaiting approval", "{count} sign-ups awaiting approval", count="count"
    ),
    "web.reject_reason": "Reason, for her (optional)",
    "web.mark_handled": "Mark handled",
    "web.note": "Note (required)",
    "web.chart.letters": "Letters each week, each way (the last 26 weeks)",
    "web.chart.replies": (
        "Median days from a letter's arrival to the volunteer's reply, by month of arrival"
    ),
    "web.chart.waiting": "The waiting list at the end of each month, and its longest wait in days",
    "web.chart.volunteers": "Volunteers who signed up and who left, by month",
    "web.chart.first_letter": (
        "Median days from a volunteer's sign-up to her first letter, by month of sign-up"
    ),
    "web.series.from_inside": "From inside",
    "web.series.to_inside": "To inside",
    "web.series.median_days": "Median days",
    "web.series.waiting": "Women waiting",
    "web.series.longest": "Longest wait (days)",
    "web.series.joined": "Signed up",
    "web.series.left": "Left",
    "web.col.point": "Week or month",
    "web.chart_alt": "(the same figures are in the table below the chart)",
    "web.chart_table": "The figures as a table",
    "web.csv.figure": "Figure",
    "web.csv.value": "Value",
    "web.report.caption": "From {start} to {end}",
    "web.report.period": "Period",
    "web.report.women": "Women who had a pen pal",
    "web.report.volunteers": "Volunteers who wrote to one",
    "web.report.letters_in": "Letters from inside",
    "web.report.letters_out": "Letters from volunteers",
    "web.report.wait": "Median wait for a pen pal (days), of the matches made",
    "web.report.on_time": Plural(
        "Replies on time (of 1 letter answered)",
        "Replies on time (of {n} letters answered)",
        count="n",
    ),
    "web.report.retained": Plural(
        "Volunteers still with the program today, of the 1 who joined more than 6 months "
        "before the end",
        "Volunteers still with the program today, of the {n} who joined more than 6 months "
        "before the end",
        count="n",
    ),
    "web.report.no_names": "No names and no ID numbers are in this report.",
    "web.report.download": "Download as a spreadsheet (CSV)",
    "web.report.print": "To print it, use your browser's Print: the menus are left out.",
    "cmd.coord.group.sheet": "Spreadsheets: the program's lists out, facilities and pen pals in",
    "cmd.coord.export": "The program's lists as a spreadsheet (CSV), for you only",
    "cmd.coord.import": "Import facilities or pen pals from a spreadsheet (CSV)",
    "coord.line.export": (
        "/coord export penpals|facilities|volunteers|matches|letters – a list as a spreadsheet "
        "(CSV), sent to you privately"
    ),
    "coord.line.import": (
        "/coord import penpals|facilities – send the CSV file with this line as its caption (or "
        "reply to the file with it): all rows are imported, or none"
    ),
    "arg.export": "Which list",
    "arg.export.penpals": "Pen pals",
    "arg.export.facilities": "Facilities",
    "arg.export.volunteers": "Volunteers",
    "arg.export.matches": "Matches",
    "arg.export.letters": "Letters",
    "arg.import": "What the file holds",
    "arg.import.penpals": "Pen pals",
    "arg.import.facilities": "Facilities",
    "arg.file": "The spreadsheet, saved as CSV (UTF-8)",
    "sheet.exported": Plural(
        "**{kind}**: 1 row. It holds personal data: keep it safe and delete it when done.",
        "**{kind}**: {count} rows. They hold personal data: keep the file safe and delete it "
        "when done.",
        count="count",
    ),
    "sheet.which_export": "Which list? One of: {kinds}.",
    "sheet.which_import": "Only these can be imported: {kinds}.",
    "sheet.attach": (
        "Send the CSV file with “/coord import {kind}” as its caption, or reply to the file with "
        "that line (on Discord, attach it to the command)."
    ),
    "sheet.too_big": "That file is too big: files of up to {max} MB can be imported.",
    "sheet.not_utf8": (
        "That file is not text in UTF-8. In your spreadsheet app, save it as “CSV UTF-8” and "
        "send it again."
    ),
    "sheet.not_csv": "That file cannot be read as CSV. Save it from your spreadsheet app as CSV.",
    "sheet.empty": "That file is empty: its first line should name the columns.",
    "sheet.imported": (
        "**{kind}** imported: {added} added, {updated} updated, {unchanged} unchanged."
    ),
    "sheet.problem": "row {row}, column {column}: {reason}",
    "sheet.refused": Plural(
        "**{kind}**: nothing was imported. Fix this problem and send the file again:\n{lines}",
        "**{kind}**: nothing was imported. Fix these {count} problems and send the file "
        "again:\n{lines}",
        count="count",
    ),
    "web.sheets.download": "Download a list",
    "web.sheets.personal": (
        "These files hold personal data: keep them on your own computer and delete them when done."
    ),
    "web.sheets.upload": "Import facilities or pen pals",
    "web.sheets.import": "Import",
    "web.sheets.all_or_none": (
        "Every row is imported, or none: if one row has a problem, the page lists every problem "
        "and nothing changes. The columns are those of the sample files in sandbox/samples."
    ),
    "web.col.next_reminder": "Next reminder",
    "web.col.overdue": "Reply late",
    "web.late_days": Plural("1 day", "{n} days", count="n"),
}
