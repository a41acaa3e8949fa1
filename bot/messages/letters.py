"""Catalogue entries for letters and reminders (merged into `bot.messages.CATALOGUE`)."""

from __future__ import annotations

from bot.messages.forms import Entry, Plural

LETTER_MESSAGES: dict[str, Entry] = {
    "cmd.letter": "Log a letter you sent or received",
    "cmd.letter_sent": "Log a letter you sent to your pen pal",
    "cmd.letter_received": "Log a letter from your pen pal that reached you",
    "cmd.letter_returned": "A letter you sent came back",
    "arg.return_reason_picked": "What was printed on it (leave out if nothing)",
    "arg.date_returned": "The day it came back, like 2026-11-28 (leave out for today)",
    "cmd.letters": "The letters logged with a pen pal",
    "cmd.coord.overdue": "Matches with a reply overdue",
    "arg.my_penpal": "Which pen pal (start typing her name)",
    "arg.date": "The date, like 2026-11-28 (leave out for today)",
    "letter.usage": (
        "Log a letter with /letter sent or /letter received, and the date if it was not today, "
        "for example: /letter received 2026-11-20. A letter came back? /letter returned"
    ),
    "letter.choose": "Which pen pal is it?",
    "letter.several_penpals": (
        "More than one of your pen pals matches “{typed}”: {names}. Pick her from the list that "
        "opens as you type."
    ),
    "letter.which_penpal": (
        "None of your pen pals is called “{typed}”. Pick her from the list that opens as you "
        "type: {names}."
    ),
    "letter.no_matches": "You have no active pen pal to log a letter for.",
    "letter.bad_date": "A date like 2026-11-28, please (or leave it out for today).",
    "letter.future": "That date is in the future: give the day the letter was sent or arrived.",
    "letter.before_match": "That date is before you were matched with {penpal} on {matched}.",
    "letter.before_match_coord": "That date is before match {match} began, on {matched}.",
    "letter.logged_in": (
        "Logged: a letter from **{penpal}** that reached you on {dated}. "
        "Your reply is due by **{due}**."
    ),
    "letter.logged_out": "Logged: your letter to **{penpal}** of {dated}. Thank you for writing!",
    "letter.waiting": (
        "A letter from **{penpal}** reached the program's mailbox on {dated} and is on its way "
        "to you. Your reply is due by **{due}**."
    ),
    "letter.forwarding_off": (
        "This program does not use forwarding: volunteers log the letters they receive."
    ),
    "letter.forwarded": "Logged the letter for match {match} ({dated}); her volunteer was told.",
    "cmd.coord.letter": "Forwarding: log a letter that reached the mailbox",
    "letters.history": "Letters with **{penpal}**:\n{lines}",
    "letters.line_in": "{dated} – from {penpal}",
    "letters.line_out": "{dated} – to {penpal}",
    "list.earlier": Plural(
        "(1 earlier one not shown)", "({count} earlier ones not shown)", count="count"
    ),
    "list.more": Plural("…and 1 more.", "…and {count} more.", count="count"),
    "letters.none": "No letters logged with **{penpal}** yet.",
    "reminder.first_letter": (
        "A gentle reminder: it's time for your first letter to **{penpal}**. "
        "When it's in the post, press \"I've written to her\" (or use /letter sent)."
    ),
    "reminder.reply_soon": (
        "**{penpal}**'s letter reached you on {dated}. Your reply is due by **{due}**: a few "
        "days to go. She is waiting to hear from you."
    ),
    "reminder.reply_due": (
        "Today your reply to **{penpal}** is due (her letter reached you on {dated}). "
        "Even a short letter means a lot."
    ),
    "reminder.keep_writing": (
        "You last wrote to **{penpal}** on {dated} and nothing has come back yet. Mail from "
        "inside is slow and sometimes lost: a short letter anyway keeps her company."
    ),
    "reminder.replied": "Logged your letter to **{penpal}** of {dated}. Thank you for writing!",
    "reminder.already": "That is already logged. Thank you!",
    "reminder.snoozed": "I'll remind you again on {when}.",
    "reminder.snooze_limit": Plural(
        "You have already asked me to wait once for this letter, so I can't wait longer. If "
        "something is in the way, a coordinator can help.",
        "You have already asked me to wait {count} times for this letter, so I can't wait "
        "longer. If something is in the way, a coordinator can help.",
        count="count",
    ),
    "reminder.dms_closed": (
        "you have a reminder from the pen pal program, but your direct messages are closed to "
        "me. Please check your DM settings for this server."
    ),
    "button.replied": "I've replied",
    "button.wrote": "I've written to her",
    "button.snooze": "Remind me in a few days",
    "button.reoffer": "Pause her and re-offer",
    "button.remind_now": "Remind her now",
    "cmd.coord.addresses": "Addresses in doubt or not confirmed lately",
    "cmd.coord.returned": "A letter came back to the program",
    "arg.return_reason": "What was printed on it (moved, released, refused, rules, unknown)",
    "release.soon_volunteer": (
        "**{penpal}** is expected to be released on {day}. Letters sent to her prison address "
        "may not reach her after that day, so if you want her to get a last letter inside, "
        "send it soon. The program will tell you what happens next."
    ),
    "coord.alert.release_soon": (
        "**{penpal}** (#{id}) is expected to be released soon, and her volunteers were told "
        "privately ({volunteers}). If the date changed: /coord penpal releasedate {id} DATE, or none."
    ),
    "release.guidance": (
        "After her release, please don't write to her prison address, and don't give her your "
        "own address or contacts. If she writes to the program, the coordinators will tell you "
        "what the program can do."
    ),
    "release.after_volunteer": "{text}",
    "coord.alert.released": (
        "**{penpal}** (#{id}) was released: her matches ended and her volunteers were told."
    ),
    "coord.alert.released_decide": (
        "**{penpal}** (#{id}) was released: her matches ended. Does the program offer to go on "
        "writing through it? Her volunteers are told what you choose."
    ),
    "button.release_continue": "Go on through the program",
    "button.release_end": "Let it end",
    "release.continue_volunteer": (
        "About **{penpal}**: the program can go on passing letters between you after her "
        "release. A coordinator will tell you how; until then, please don't write to her "
        "directly."
    ),
    "release.end_volunteer": (
        "About **{penpal}**: the correspondence ends with her release. Thank you for the letters "
        "you wrote her."
    ),
    "release.continued": (
        "{penpal} (#{id}): her volunteers were told that the program can go on passing letters."
    ),
    "release.ended": "{penpal} (#{id}): her volunteers were told that the correspondence ends.",
    "release.decided_already": "That was already decided for {penpal}.",
    "release.date_past": (
        "That date has passed. For a release that already happened: /coord release PENPAL DATE."
    ),
    "release.date_cleared": "{penpal} (#{id}) has no release date now.",
    "release.date_set": (
        "{penpal} (#{id}) is expected to be released on {day}. Her volunteers and the "
        "coordinators are told shortly before."
    ),
    "cmd.coord.releasedate": "Set or clear a pen pal's release date",
    "arg.release_date_or_none": "The new date, YYYY-MM-DD, or none",
    "button.address_where": "Where is she?",
    "button.address_ok": "Still there",
    "button.address_moved": "She moved",
    "address.moved_how": (
        "To record her move, send /coord transfer {id} NEW_ID_NUMBER FACILITY (the facility's "
        "name as in the registry; /coord facility add adds a new one). Her volunteers get the "
        "new address privately."
    ),
    "form.transfer_title": "She moved",
    "form.transfer_id_number": "Her new ID number",
    "form.transfer_facility": "The facility (its name in the registry)",
    "form.transfer_facility_pick": "New facility",
    "button.address_released": "Released",
    "button.address_later": "Don't know yet",
    "return_reason.moved": "not at this address (moved)",
    "return_reason.released": "released",
    "return_reason.refused": "refused",
    "return_reason.rules_broken": "against the facility's mail rules",
    "return_reason.unknown": "no reason given",
    "return_reason_word.moved": "moved",
    "return_reason_word.released": "released",
    "return_reason_word.refused": "refused",
    "return_reason_word.rules_broken": "rules",
    "return_reason_word.unknown": "unknown",
    "returned.bad_reason": "What was printed on the envelope? One of: {reasons} (or leave it out).",
    "returned.logged": (
        "Thank you for telling us. The coordinators will check where **{penpal}** is now; until "
        "they know, you won't get reminders to write to her, and I'll tell you as soon as her "
        "address is confirmed."
    ),
    "returned.old_address": (
        "Thank you for telling us. That letter went to **{penpal}**'s old address, before she "
        "moved, so nothing else is needed: /mypenpals has her new one."
    ),
    "returned.old_address_coord": (
        "Logged: a letter to {penpal} (#{id}) came back from her old address, sent before her "
        "transfer; her current address is not in doubt."
    ),
    "returned.logged_coord": (
        "Logged: a letter to {penpal} (#{id}) came back. Her address is in doubt until a "
        "coordinator checks it; her volunteer was told."
    ),
    "address.why_returned": "a letter came back: {reason}",
    "address.why_silence": "nothing has come from her for {days}",
    "address.doubt_volunteer": (
        "Letters to **{penpal}** may not be reaching her ({why}), so the program is checking "
        "where she is now. Until then you won't get reminders to write to her; I'll tell you as "
        "soon as her address is confirmed."
    ),
    "address.confirmed_volunteer": (
        "Good news: **{penpal}** is still at the same address. Reminders to write to her start "
        "again."
    ),
    "address.confirmed": (
        "The address of {penpal} (#{id}) is confirmed today; her volunteers were told and "
        "reminders go on."
    ),
    "address.not_in_doubt": "The address of {penpal} (#{id}) is not in doubt.",
    "address.later": (
        "Noted: you will be asked about {penpal} (#{id}) again on {day}. Until then her "
        "volunteers get no reminders to write to her."
    ),
    "address.where": (
        "**{penpal}** (#{id}): {committed}, ID {id_number}\n"
        "{facility}\n{address}\n"
        "Inmate locator: {locator}\n"
        "Address: {state}\n"
        "Letters that came back: {returned}\n"
        "If she moved: /coord transfer {id} NEW_ID_NUMBER FACILITY. If she was released: "
        "/coord release {id}."
    ),
    "address.returned_line": "{day} ({reason})",
    "address.never": "never confirmed",
    "address.state_doubt": "in doubt since {day}",
    "address.state_confirmed": "last confirmed {day}",
    "address.list": (
        "Addresses to check ({count}: in doubt, or not confirmed for {days}), the oldest "
        "first:\n{lines}"
    ),
    "address.list_line": "#{id} {penpal} · {facility} · {state}",
    "address.none": "Every address was confirmed in the last {days}, and none is in doubt.",
    "coord.alert.returned": (
        "A letter to **{penpal}** (#{id}) came back: {reason} (match {match}, volunteer "
        "**{volunteer}**). Her address is in doubt: no reminders to write to her until you "
        "check where she is."
    ),
    "coord.alert.address_again": (
        "Still no news of where **{penpal}** (#{id}) is: her address has been in doubt since "
        "{since}."
    ),
    "button.address_checked": "Her address is checked",
    "button.list_pending": "Sign-ups waiting",
    "button.list_overdue": "Overdue replies",
    "button.list_concerns": "Open concerns",
    "penpal.address_confirmed": (
        "The address of {penpal} (#{id}) is marked as checked today. If she has moved, "
        "/coord transfer {id} ID_NUMBER FACILITY records it."
    ),
    "coord.alert.overdue": (
        "Overdue reply: **{volunteer}** has not answered **{penpal}**'s letter of {dated} "
        "(match {match}); {days} late."
    ),
    "coord.alert.silence": (
        "No letter from **{penpal}** for {days} although **{volunteer}** wrote (match "
        "{match}). Please check whether she was transferred or released."
    ),
    "coord.alert.missed_cycles": Plural(
        "**{volunteer}** answered **{penpal}** late (match {match}). Pause the volunteer and "
        "offer {penpal} to someone else, keeping her place in line?",
        "**{volunteer}** answered **{penpal}** late {count} times in a row (match {match}). "
        "Pause the volunteer and offer {penpal} to someone else, keeping her place in line?",
        count="count",
    ),
    "coord.overdue": "Overdue replies ({count}):\n{lines}",
    "coord.overdue_line": (
        "{volunteer} → {penpal} (match {match}): letter of {dated}, {days} late"
    ),
    "coord.overdue_none": "No reply is overdue right now.",
    "coord.missed_summary": Plural(
        "After a pause in service, 1 message was more than a day late and was not sent: "
        "{kinds}. Reminders that still matter will come again.",
        "After a pause in service, {count} messages were more than a day late and were not "
        "sent: {kinds}. Reminders that still matter will come again.",
        count="count",
    ),
    "coord.delivery_failed": (
        "I could not reach **{who}** on {platform} ({reason}). They may have blocked the bot or "
        "closed their direct messages; I won't keep trying. Please contact them another way."
    ),
    "announcement": "{text}",
    "announcement.signed": "**From the coordinators of {program}:**\n{text}",
    "broadcast.preview": Plural(
        "Preview of your announcement to **{audience}** (1 person):\n\n{text}\n\nSend it?",
        "Preview of your announcement to **{audience}** ({count} people):\n\n{text}\n\nSend it?",
        count="count",
    ),
    "broadcast.sent": Plural(
        "Sent: the announcement is on its way to 1 person.",
        "Sent: the announcement is on its way to {count} people.",
        count="count",
    ),
    "broadcast.cancelled": "Cancelled; nothing was sent.",
    "broadcast.done_already": "This announcement was already sent or cancelled.",
    "broadcast.bad_audience": "Send it to one of: {audiences}.",
    "broadcast.empty": "The announcement is empty: write its text after the first line.",
    "broadcast.too_long": "Please keep an announcement under {limit} characters.",
    "broadcast.usage": (
        "/coord broadcast AUDIENCE, then the text on the next lines. AUDIENCE is all, overdue, "
        "telegram or discord. You'll see a preview before anything is sent."
    ),
    "button.send": "Send",
    "audience_word.all": "all",
    "audience_word.overdue": "overdue",
    "audience_word.telegram": "telegram",
    "audience_word.discord": "discord",
    "day_word.mon": "mon",
    "day_word.tue": "tue",
    "day_word.wed": "wed",
    "day_word.thu": "thu",
    "day_word.fri": "fri",
    "day_word.sat": "sat",
    "day_word.sun": "sun",
    "day_word.daily": "daily",
    "audience.all": "all active volunteers",
    "audience.overdue": "volunteers with a reply overdue",
    "audience.telegram": "volunteers on Telegram",
    "audience.discord": "volunteers on Discord",
    "remind.usage": (
        "/coord remind VOLUNTEER sends her a reminder now, on whichever platform she uses. "
        "VOLUNTEER is her number, part of her name, or her @handle."
    ),
    "remind.unknown": "No active volunteer matches “{who}”. Try her number (/coord volunteer NAME shows it).",
    "remind.which": "Several active volunteers match “{who}”: {choices}. Send it again with her number.",
    "remind.sent": "{name} will get a reminder now.",
    "reminder.nudge": "A coordinator sends a friendly reminder about your letters:\n{lines}",
    "nudge.reply": "• {penpal}: her letter reached you on {dated}; your reply is due by {due}",
    "nudge.first": "• {penpal}: your first letter",
    "nudge.keep": "• {penpal}: you last wrote on {dated}; a short letter anyway keeps her company",
    "nudge.none": "• no letter is waiting for a reply right now. Thank you!",
    "schedule.bad_day": "Days like thu, mon,thu or daily, please.",
    "schedule.bad_time": (
        "A time like 19:00 and a time zone like Europe/London, Chicago or Eastern, please."
    ),
    "schedule.which_zone": "“{typed}” could be more than one place; type one of these: {places}.",
    "schedule.added": (
        "Scheduled #{id}: {days} at {at} ({timezone}) to {audience}. It follows daylight "
        "saving time."
    ),
    "schedule.stopped": "Recurring announcement #{id} is stopped.",
    "schedule.unknown": "There is no running recurring announcement #{id}.",
    "cmd.coord.unschedule": "Stop a recurring announcement",
    "arg.schedule": "The number of the recurring announcement",
    "schedule.usage": (
        "/coord schedule DAYS HH:MM TIMEZONE AUDIENCE, then the text on the next lines, for "
        "example: /coord schedule thu 19:00 Europe/London all. /coord schedule stop ID stops one."
    ),
    "coord.digest": (
        "Daily digest for {day}: {pending}, {active}, {matches}, {overdue}, {concerns}{at_program}."
    ),
    "count.signups_waiting": Plural(
        "{n} sign-up waiting for approval", "{n} sign-ups waiting for approval"
    ),
    "count.days": Plural("{n} day", "{n} days"),
    "count.active_volunteers": Plural("{n} active volunteer", "{n} active volunteers"),
    "count.active_matches": Plural("{n} active match", "{n} active matches"),
    "count.overdue_replies": Plural("{n} overdue reply", "{n} overdue replies"),
    "count.open_concerns": Plural("{n} open concern", "{n} open concerns"),
    "cmd.coord.broadcast": "Announce something to volunteers (with a preview)",
    "cmd.coord.remind": "Send a volunteer a reminder now",
    "cmd.coord.schedule": "A recurring announcement at a local time",
    "arg.audience": "Who gets it: all, overdue, telegram or discord",
    "arg.text": "The announcement",
    "arg.volunteer": "The volunteer (type her name or number)",
    "arg.days": "Days: thu, mon,thu or daily",
    "arg.time": "Local time, HH:MM",
    "arg.timezone": "Time zone, like Europe/London",
    "match.reoffered": (
        "Match {id} ended (no reply); {volunteer} is paused and {penpal} is back on the waiting "
        "list with her original date."
    ),
    "letter.received_forwarding": (
        "In this program the coordinators log your pen pal's letters when they reach the "
        "program's mailbox, and I tell you when one is on its way to you: there is nothing for "
        "you to log. /letters shows them. If a letter reached you that is not there, tell the "
        "coordinators with /concern."
    ),
    "letter.handed_in": (
        "Logged: your letter to **{penpal}**, handed to the program on {dated}. The coordinators "
        "read letters before they post them; I will tell you when it is on its way."
    ),
    "letters.with_leg": "{line} ({leg})",
    "letters.leg_arrived": "reached the program on {dated}",
    "letters.leg_posted": "posted by the program on {dated}",
    "letters.state_waiting": "at the program, not sent on yet",
    "letters.state_held": "held at the program: {note}",
    "letters.state_returned": "given back to you to rewrite: {note}",
    "cmd.coord.review": "Forwarding: the letters waiting at the program",
    "coord.line.review": (
        "/coord review [forward|hold|return NUMBER [NOTE]] – forwarding: the letters at the "
        "program; forward or post one, hold one with a note, or give a letter to her back for a "
        "rewrite"
    ),
    "review.usage": (
        "/coord review lists the letters at the program. Then:\n"
        "/coord review forward NUMBER [YYYY-MM-DD] – forward it to her volunteer, or post it to "
        "her (the date if not today)\n"
        "/coord review hold NUMBER NOTE – hold it for now; her volunteer reads the note\n"
        "/coord review return NUMBER REASON – give a letter to her back to its volunteer to "
        "rewrite; she reads the reason"
    ),
    "arg.review_action": "forward, hold or return (leave out for the list)",
    "arg.letter": "The letter's number (from /coord review)",
    "arg.review_note": "Forward: the date if not today. Hold or return: the note for her volunteer",
    "review.arrived": (
        "Logged letter #{letter} for match {match}: it reached the program on {dated}. It waits "
        "in /coord review until you forward it (or hold it)."
    ),
    "review.new_in": (
        "**A letter to read** (#{letter}): from {penpal} for {volunteer} (match {match}), it "
        "reached the program on {dated}. Read it, then forward it or hold it."
    ),
    "review.new_out": (
        "**A letter to read** (#{letter}): {volunteer} handed in her letter to {penpal} (match "
        "{match}) on {dated}. Read it, then post it, hold it, or give it back for a rewrite."
    ),
    "review.empty": "No letter is waiting at the program.",
    "review.list": Plural(
        "**1 letter at the program**, the oldest first:\n{lines}",
        "**{count} letters at the program**, the oldest first:\n{lines}",
        count="count",
    ),
    "review.line_in": (
        "#{letter} – from {penpal} for {volunteer} (match {match}), here since {dated} "
        "({days}){held}"
    ),
    "review.line_out": (
        "#{letter} – {volunteer}'s letter to {penpal} (match {match}), here since {dated} "
        "({days}){held}"
    ),
    "review.held_note": " – held: {note}",
    "review.with_first": (
        "{listed}\n\nThe buttons act on #{letter}; for another, /coord review forward, hold or "
        "return with its number."
    ),
    "review.forwarded": (
        "Letter #{letter} (match {match}) forwarded on {dated}; her volunteer was told, and her "
        "reply is due from that day."
    ),
    "review.posted": "Letter #{letter} (match {match}) posted on {dated}; its volunteer was told.",
    "review.held": "Letter #{letter} (match {match}) is held at the program; its volunteer was told why.",
    "review.returned": (
        "Letter #{letter} (match {match}) goes back to its volunteer to rewrite; she was told "
        "why, and her reminders go on."
    ),
    "review.posted_volunteer": (
        "Your letter to **{penpal}** was read and posted by the program on {dated}. Thank you!"
    ),
    "review.held_in_volunteer": (
        "A letter from **{penpal}** reached the program; the coordinators are holding it for "
        "now: {note}"
    ),
    "review.held_out_volunteer": (
        "The coordinators are holding your letter to **{penpal}** at the program for now: {note}"
    ),
    "review.returned_volunteer": (
        "The coordinators give your letter to **{penpal}** back to you to rewrite: {reason}\n"
        "When you have written it again, log it with /letter sent."
    ),
    "review.need_note": (
        "Write the note for her volunteer: /coord review hold {letter} followed by the note."
    ),
    "review.need_reason": (
        "Write the reason for her volunteer: /coord review return {letter} followed by the reason."
    ),
    "review.note_too_long": "Please keep the note under {max} characters (it has {length}).",
    "review.not_hers": (
        "Letter #{letter} is a letter from her: it can be forwarded or held, not given back."
    ),
    "review.unknown": "There is no letter #{letter}. /coord review lists the ones at the program.",
    "review.already": "Letter #{letter} is no longer waiting at the program.",
    "review.before_leg": "That date is before letter #{letter} reached the program, on {dated}.",
    "review.hold_how": (
        "To hold letter #{letter}, send /coord review hold {letter} followed by the note for her "
        "volunteer."
    ),
    "review.return_how": (
        "To give letter #{letter} back for a rewrite, send /coord review return {letter} "
        "followed by the reason for her volunteer."
    ),
    "review.bad_action_usage": "Forward, hold or return, and the letter's number:\n{usage}",
    "review_word.forward": "forward",
    "review_word.post": "post",
    "review_word.hold": "hold",
    "review_word.keep": "keep",
    "review.age_today": "today",
    "review_word.return": "return",
    "button.review_forward": "Forward it",
    "button.review_post": "Post it",
    "button.review_hold": "Hold for now",
    "button.review_return": "Give back to rewrite",
    "form.review_hold_title": "Hold letter #{letter}",
    "form.review_return_title": "Give letter #{letter} back",
    "form.review_note": "The note her volunteer reads",
    "button.list_review": "Letters at the program",
    "digest.at_program": Plural(
        ", 1 letter at the program (since {oldest})",
        ", {count} letters at the program (the oldest since {oldest})",
        count="count",
    ),
}
