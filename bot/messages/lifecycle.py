"""Catalogue entries for pausing, resuming, /mydata and /forgetme (merged into
`bot.messages.CATALOGUE`)."""

from __future__ import annotations

from bot.messages.forms import Entry, Plural

LIFECYCLE_MESSAGES: dict[str, Entry] = {
    "cmd.pause": "Take a break: no reminders and no new pen pals",
    "cmd.resume": "End your break",
    "cmd.mydata": "Everything the program keeps about you, as a file",
    "cmd.forgetme": "Erase your personal data",
    "arg.until": "The last day of your break, like 2026-12-31 (leave out: until /resume)",
    "pause.usage": "/pause for a break until /resume, or /pause 2026-12-31 until that day.",
    "pause.not_active": "Only an approved volunteer can pause. See /me for your status.",
    "pause.bad_date": (
        "A date after today ({today}) and within a year, like 2026-12-31, please, or no date "
        "to pause until you send /resume."
    ),
    "pause.done_open": (
        "You're on a break: no reminders and no new pen pals until you send /resume. Your pen "
        "pals are not told anything; a short note to them is kind if the break is long."
    ),
    "pause.done_until": (
        "You're on a break until **{until}**: no reminders and no new pen pals until then (or "
        "/resume). Your pen pals are not told anything; a short note to them is kind."
    ),
    "resume.not_paused": "You're not on a break.",
    "resume.done": "Welcome back! Reminders and matching start again.",
    "resume.automatic": (
        "Welcome back, {name}: your break has ended, so reminders and matching start again. "
        "/pause if you need more time."
    ),
    "coord.alert.paused": "{volunteer} is on a break until she sends /resume.",
    "coord.alert.paused_until": "{volunteer} is on a break until {until}.",
    "coord.alert.resumed": "{volunteer} is back from a break.",
    "notice.erased": "(A notice about a volunteer who has since erased her data.)",
    "coord.alert.erased": (
        "A volunteer (number {number}) erased her personal data. Pen pals back on the waiting "
        "list with their original dates: {penpals}."
    ),
    "mydata.caption": (
        "Everything the program keeps about you. Your pen pals appear by first name only."
    ),
    "forget.ask_none": (
        "This erases your profile, your accounts and your sign-up answers for good. Only "
        "anonymous counts remain. Erase everything?"
    ),
    "forget.ask": Plural(
        "This erases your profile, your accounts and your sign-up answers for good. Your "
        "active match ends and your pen pal goes back to the waiting list, so please send her "
        "a closing letter. Only anonymous counts remain. Erase everything?",
        "This erases your profile, your accounts and your sign-up answers for good. Your "
        "{matches} active matches end and your pen pals go back to the waiting list, so "
        "please send them a closing letter. Only anonymous counts remain. Erase everything?",
        count="matches",
    ),
    "forget.done": (
        "Done: your personal data is erased. Thank you for the letters you wrote. "
        "You can sign up again at any time."
    ),
    "forget.cancelled": "Nothing was erased.",
    "cmd.leave": "Leave the program (or end some of your matches)",
    "leave.ask": (
        "Leaving? Tick the pen pals whose correspondence ends (each goes back to the waiting "
        "list with her place in line); untick any you will keep writing to ({kept} kept). "
        "Then tell us why, and it is done."
    ),
    "leave.ask_none": "Leaving the program? Tell us why, and it is done.",
    "leave.reason.time": "No time",
    "leave.reason.personal": "Personal reasons",
    "leave.reason.fit": "Not what I expected",
    "leave.reason.other": "Another reason",
    "leave.done": Plural(
        "You have left the program; 1 match ended. Please send your pen pal a closing letter, "
        "so she is not left wondering. Thank you for writing. /signup if you come back.",
        "You have left the program; {ended} matches ended. Please send each pen pal a closing "
        "letter, so she is not left wondering. Thank you for writing. /signup if you come back.",
        count="ended",
    ),
    "leave.done_partial": Plural(
        "1 match ended; you keep writing to {kept} and get no new pen pals. Please send a "
        "closing letter to the pen pal whose correspondence ended.",
        "{ended} matches ended; you keep writing to {kept} and get no new pen pals. Please "
        "send a closing letter to each pen pal whose correspondence ended.",
        count="ended",
    ),
    "leave.cancelled": "Nothing changed.",
    "coord.alert.left": (
        "{volunteer} left the program ({reason}). Back on the waiting list with their original "
        "dates: {penpals}."
    ),
    "coord.alert.stepped_back": (
        "{volunteer} ended some matches ({reason}) and keeps {kept}. Back on the waiting list "
        "with their original dates: {penpals}."
    ),
    "cmd.link": "Join your Telegram and Discord accounts",
    "arg.code": "The code you were shown on the other platform (leave out to get one)",
    "link.code": (
        "Your code: **{code}**. Within 10 minutes, send /link {code} to this bot on {other}; "
        "the code works once."
    ),
    "link.bad_code": (
        "That code is not valid: it may be mistyped, used already, older than 10 minutes, or "
        "from this same platform. Send /link on the other platform for a new one."
    ),
    "link.has_profile": (
        "This account already has its own sign-up. To join it to your other one instead, "
        "first erase this one with /forgetme here (only the sign-up made from this account), "
        "then send /link again."
    ),
    "link.has_profile_and_pen_pals": (
        "This account already has its own sign-up, with pen pals, so it cannot be joined to "
        "another one. If you signed up twice, ask a coordinator to help you keep one of them."
    ),
    "link.already": (
        "This account is already joined to your sign-up on {other}. To separate them, send "
        "/unlink here."
    ),
    "guidelines.changed": (
        "The program has updated its guidelines (version {version}). Please read them and "
        "press \u201cI agree\u201d: until you do, you keep writing to your pen pals but get no new ones.\n\n"
        "{text}"
    ),
    "guidelines.reminder": (
        "A reminder: the program's updated guidelines (version {version}) are waiting for you. "
        "Please read them and press \u201cI agree\u201d.\n\n{text}"
    ),
    "guidelines.accepted": "Thank you for accepting the updated guidelines.",
    "guidelines.accepted_already": "You have already accepted these guidelines. Thank you!",
    "coord.alert.no_reconsent": (
        "{volunteer} (#{id}) has not accepted the updated guidelines in {days}; she gets no "
        "new pen pals until she does."
    ),
    "cmd.unlink": "Separate this account from your sign-up on the other platform",
    "unlink.alone": "This account is not joined to another one, so there is nothing to unlink.",
    "unlink.done": (
        "Done: this account is no longer joined to your sign-up, and everything now goes to you "
        "on {other}. To join them again, send /link there."
    ),
    "link.done": "Linked: both accounts are now one volunteer. Where should reminders go?",
    "link.prefers": "Reminders and notices now go to {where}.",
    "link.where.telegram": "Telegram",
    "link.where.discord": "Discord",
    "link.where.both": "both platforms",
    "cmd.concern": "Tell the coordinators about a worry, privately",
    "arg.what": "What happened, in your own words",
    "concern.usage": (
        "Tell the coordinators about a worry (money requests, romance, threats, your own "
        "wellbeing...): send /concern followed by what happened, for example: /concern She "
        "asked me to send money to her cousin. Only coordinators will read it."
    ),
    "concern.too_long": "Please keep it under {limit} characters; a coordinator will follow up.",
    "concern.ask_kind": "Thank you for telling us. What is it about?",
    "concern.ask_match": "Which pen pal is it about?",
    "concern.no_match": "Not about one pen pal",
    "concern.kind.money": "Money requests",
    "concern.kind.romance": "Romance",
    "concern.kind.threats": "Threats",
    "concern.kind.wellbeing": "My own wellbeing",
    "concern.kind.other": "Something else",
    "concern.sent": (
        "Sent to the coordinators, privately. Someone will be in touch. If you are in danger, "
        "contact your local emergency services."
    ),
    "coord.alert.concern": (
        "New concern #{id} ({kind}) from {volunteer}, about: {penpal}. Read it with "
        "/coord concerns."
    ),
    "concern.list": ("Open concerns ({count}); /coord concerns NUMBER shows one in full:\n{lines}"),
    "concern.line": "#{id} {day} · {kind} · {volunteer} → {penpal}: {details}",
    "concern.erased_volunteer": "a volunteer who has since erased her data",
    "concern.erased_details": "(what she wrote was erased with her data)",
    "concern.none": "No open concerns.",
    "concern.one": "{lines}",
    "concern.unknown": "There is no concern with that number.",
    "concern.handled_note": "Handled: {note}",
    "concern.need_note": "Add a note: what was done, for example: /coord handled 3 Called her.",
    "concern.handled_volunteer": (
        "A coordinator has looked into the concern you raised on {day} ({kind}) and marked it "
        "handled. Thank you for telling us. If it still worries you, send /concern again."
    ),
    "concern.answer_volunteer": "**A coordinator answers the concern you raised on {day}:**\n{text}",
    "concern.answer_usage": (
        "/coord answer NUMBER, then your answer: it goes privately to the volunteer who raised "
        "concern NUMBER, for example: /coord answer 3 We spoke to the facility; you can write "
        "again."
    ),
    "concern.answer_nobody": (
        "The volunteer who raised concern #{id} has erased her data, so there is nobody to answer."
    ),
    "concern.answered": "Your answer to concern #{id} went to {name}, privately.",
    "concern.answer_line": "Answered her on {day}: {text}",
    "concern.handled_list": "Concerns handled ({count}), the latest first:\n{lines}",
    "concern.none_handled": "No concern has been marked handled yet.",
    "concern.handled": "Concern #{id} is marked handled.",
    "concern.not_open": "Concern #{id} is not open.",
    "cmd.coord.concerns": "Open concerns reported by volunteers",
    "cmd.coord.handled": "Mark a concern handled, with a note (alone: the handled ones)",
    "cmd.coord.answer": "Answer the volunteer who raised a concern, privately",
    "arg.concern": "The concern's number",
    "arg.concern_handled": "The concern's number (leave out to list the handled ones)",
    "arg.answer": "Your answer (she reads it as you write it)",
    "arg.note": "What was done",
    "error.text_only": (
        "I can only read text and commands here (not stickers, photos, voice notes, files or "
        "forwarded messages). /help lists what I can do."
    ),
    "error.slow_down": "That is a lot at once: please slow down and try again in a few seconds.",
    "error.busy": (
        "The program's records are busy for a moment (a backup, perhaps). Nothing was changed: "
        "please try again in a minute."
    ),
    "button.forget": "Erase everything",
    "button.keep": "Cancel",
    "circle.active_only": "Writing circles are for active volunteers.",
    "circle.sign_up_first": "Writing circles are for volunteers: send /signup to begin.",
    "circle.bad_name": "Give your circle a name of 2 to {max} characters: /circle create NAME.",
    "circle.invite_usage": (
        "Say whom to invite: /circle invite and her @name as Telegram or Discord shows it, or "
        "her full name as she signed up."
    ),
    "circle.already_in": "You are in a writing circle already: one at a time.",
    "circle.name_taken": "There is a circle called “{circle}” already: choose another name.",
    "circle.created": (
        "Your writing circle **{circle}** is made, with you as its lead. A coordinator looks at "
        "it now; once approved, invite the others."
    ),
    "circle.approve_lead": "**A new writing circle** #{id}: “{circle}”, led by {lead}.",
    "circle.unknown": "There is no circle #{id}.",
    "circle.approved": "The circle “{circle}” is approved; its lead was told.",
    "circle.approved_already": "The circle “{circle}” was approved already.",
    "circle.lead_approved": (
        "Your writing circle **{circle}** is approved. Invite the others with /circle invite "
        "and their @name."
    ),
    "circle.lead_only": "Only a circle's lead invites new members.",
    "circle.not_approved_yet": "“{circle}” waits for a coordinator's approval first.",
    "circle.full": "A circle has at most {max} members.",
    "circle.who": (
        "I could not tell which active volunteer “{typed}” is. Give her @name as Telegram or "
        "Discord shows it, or her full name as she signed up."
    ),
    "circle.invitee_in_one": "{name} is in a writing circle already.",
    "circle.invitee_unfit": (
        "{name} cannot join: she does not meet what {penpal}, the circle's pen pal, asked for "
        "(a shared language, or a woman writer), or she wrote to her before."
    ),
    "circle.join_unfit": (
        "You cannot join “{circle}” now: you do not meet what {penpal}, its pen pal, asked for "
        "(a shared language, or a woman writer), or you wrote to her before. Nothing changed."
    ),
    "circle.invited": (
        "{lead} invites you to the writing circle **{circle}**: its members write to their pen "
        "pal together, in turn. Join it?"
    ),
    "circle.invite_sent": "{name} is invited to “{circle}”; you will hear when she answers.",
    "circle.declined": "You did not join “{circle}”.",
    "circle.joined": "Welcome to **{circle}**! /circle shows its members and the order you write in.",
    "circle.joined_lead": "{name} joined your circle “{circle}”.",
    "circle.thread_made": (
        "I made the private thread “{circle}” here and added the circle's members who are on "
        "Discord. The circle talks there: whose turn it is, letters arrived and answered. Her "
        "name and address never go there; each of you gets them privately."
    ),
    "circle.none": "You are not in a writing circle. /circle create NAME starts one.",
    "circle.left": "You left “{circle}”.",
    "circle.left_last": Plural(
        "You left “{circle}”, its last member, so it has ended: its pen pal waits for a new "
        "volunteer with her original date. Please send her a closing letter.",
        "You left “{circle}”, its last member, so it has ended: its {count} pen pals wait for "
        "new volunteers with their original dates. Please send each a closing letter.",
        count="count",
    ),
    "circle.declined_lead": "{name} will not join “{circle}” this time.",
    "circle.left_lead": "{name} left your circle “{circle}”.",
    "circle.shown": Plural(
        "**{circle}** ({state}; {takes})\nLead: {lead}\nMember: {members}\nWriting to:\n{writing}",
        "**{circle}** ({state}; {takes})\nLead: {lead}\n{count} members, in the order they "
        "write: {members}\nWriting to:\n{writing}\n\n"
        "/circle pass gives your turn to the next member; /circle ask asks the others for help.",
        count="count",
    ),
    "circle.shown_coord": Plural(
        "**#{id} {circle}** ({state}; {takes}; {place})\nLead: {lead}\nMember: {members}\n"
        "{writing}",
        "**#{id} {circle}** ({state}; {takes}; {place})\nLead: {lead}\n{count} members, in "
        "turn: {members}\n{writing}",
        count="count",
    ),
    "circle.overview": Plural(
        "One writing circle:\n\n{circles}",
        "{count} writing circles:\n\n{circles}",
        count="count",
    ),
    "circle.none_yet": "There are no writing circles yet.",
    "circle.takes": Plural("takes 1 pen pal", "takes up to {count} pen pals", count="count"),
    "circle.bad_capacity": "Say how many pen pals the circle takes: a number from 1 to {max}.",
    "circle.lead_only_capacity": "Only the circle's lead says how many pen pals it takes.",
    "circle.capacity_below": Plural(
        "“{circle}” writes to 1 pen pal already: it takes at least 1.",
        "“{circle}” writes to {count} pen pals already: it takes at least {count}.",
        count="count",
    ),
    "circle.capacity_set": Plural(
        "“{circle}” takes 1 pen pal.", "“{circle}” takes up to {count} pen pals.", count="count"
    ),
    "circle.member_paused": "{text} (paused)",
    "circle.writing_to": Plural(
        "• {penpal}: {name}'s turn (1 letter logged)",
        "• {penpal}: {name}'s turn ({count} letters logged)",
        count="count",
    ),
    "circle.writing_none": "• no pen pal yet",
    "circle.place_yes": "has its place",
    "circle.place_no": "no place linked",
    "circle.state.pending": "waiting for a coordinator's approval",
    "circle.state.active": "active",
    "circle.state.dissolved": "ended",
    "button.circle_join": "Join",
    "button.circle_decline": "No, thank you",
    "button.circle_hand": "Hand her to the member left",
    "button.circle_end": "End it; she waits again",
    "cmd.circle": "Your writing circle: create, invite, pass your turn, ask for help, leave",
    "cmd.circle_show": "Your circle, its members and whose turn it is",
    "cmd.circle_create": "Start a writing circle (a coordinator approves you as its lead)",
    "cmd.circle_invite": "The lead invites an active volunteer",
    "cmd.circle_browse": "The lead: women waiting whom every member could write to",
    "cmd.circle_pass": "Give your turn to the next member",
    "cmd.circle_capacity": "The lead: how many pen pals the circle takes",
    "arg.circle_capacity": "From 1 to 5",
    "cmd.circle_ask": "Ask the other members for help with a letter",
    "cmd.circle_leave": "Leave your circle",
    "cmd.circle_here": "In the circle's channel or thread: the circle talks here",
    "arg.circle_name": "The circle's name",
    "arg.circle_who": "Her @name or her name as she signed up",
    "arg.circle_here": "Coordinators: the circle's name",
    "circle.usage": (
        "/circle – your circle, its members and whose turn it is\n"
        "/circle create NAME – start a circle (a coordinator approves you as its lead)\n"
        "/circle invite @name – the lead invites an active volunteer\n"
        "/circle browse – the lead: women waiting whom every member could write to (where "
        "the program lets volunteers choose)\n"
        "/circle capacity N – the lead: how many pen pals the circle takes (1 to 5)\n"
        "/circle pass – give your turn to the next member\n"
        "/circle ask – ask the other members for help with a letter\n"
        "/circle here – the lead, in a group or channel: the circle talks there (a "
        "coordinator adds the circle's name)\n"
        "/circle leave – leave the circle"
    ),
    "circle.lead_only_place": "Only the circle's lead chooses where the circle talks.",
    "circle.lead_only_browse": (
        "Only a circle's lead asks for a pen pal for it. /browse shows the women you could "
        "write to yourself."
    ),
    "circle.place_set": (
        "“{circle}” talks here now: whose turn it is, letters arrived and answered. Her name and "
        "address never come here; each of you gets them privately."
    ),
    "circle.in_private": (
        "Send /circle in a private chat with me: only /circle here is for the circle's group."
    ),
    "circle.here_private": (
        "Send /circle here in the group or channel where the circle talks, not in a private chat."
    ),
    "circle.unknown_named": "There is no writing circle “{name}”. /coord circle list shows them.",
    "circle.too_small": "“{circle}” needs at least two members before it takes a pen pal.",
    "circle.at_capacity": Plural(
        "“{circle}” writes to its pen pal already.",
        "“{circle}” writes to {count} pen pals already, all it takes.",
        count="count",
    ),
    "circle.penpal_not_waiting": "{penpal} is not on the waiting list.",
    "circle.rule_fails": (
        "{penpal} cannot be matched to this circle: {name} does not meet what she asked for (a "
        "shared language, or a woman writer), or wrote to her before."
    ),
    "circle.matched": (
        "Match #{match}: “{circle}” writes to {penpal}. {name} writes first; every member got "
        "her details privately."
    ),
    "circle.details": (
        "**Your circle “{circle}” writes to {penpal}**{pronouns}\n"
        "Write to:\n{committed_name}\nID {id_number}\n{address}\n\n"
        "**Mail rules at {facility}**\n{rules}\n\n"
        "Keep these details to yourself: never post them in the circle's group or channel. "
        "{name} writes first; you will hear when it is your turn.{sender}"
    ),
    "circle.your_turn": (
        "A letter from {penpal} came to your circle “{circle}”: **it is your turn to answer**, "
        "by {due}. Log it with /letter sent when it is in the post. Cannot this time? "
        "/circle pass gives your turn to the next member."
    ),
    "circle.up_next": (
        "{name} answered {penpal}. You write the circle's next letter to her, when hers comes."
    ),
    "circle.turn_passed": (
        "{name} passed her turn in “{circle}” to you: you write the next letter to {penpal}."
    ),
    "circle.turn_passed_due": (
        "{name} passed her turn in “{circle}” to you: **please answer {penpal} by {due}**. Log it "
        "with /letter sent when it is in the post."
    ),
    "circle.turn_to_you_away": (
        "It is your turn to write to {penpal} for “{circle}” (the member before you is away). "
        "/mypenpals shows where the letters stand."
    ),
    "circle.turn_to_you_left": (
        "It is your turn to write to {penpal} for “{circle}” (the member before you left the "
        "circle). /mypenpals shows where the letters stand."
    ),
    "circle.not_your_turn": "It is not your turn to write in “{circle}”: nothing to pass.",
    "circle.no_one_to_pass": (
        "No other member of “{circle}” can write just now (they are away). Nothing changed: "
        "/circle ask asks them for help, or tell the coordinators with /concern."
    ),
    "circle.passed": "Your turn went to {names}; they were told.",
    "circle.alone": "You are the only member of “{circle}” just now.",
    "circle.help_asked": (
        "{name} asks “{circle}” for a hand with the next letter. If you can help, tell her in "
        "the circle's group or thread (its lead sets one up with /circle here)."
    ),
    "circle.help_sent": Plural(
        "The other member was asked to help.",
        "The {count} other members were asked to help.",
        count="count",
    ),
    "circle.now_lead": "You lead the writing circle “{circle}” now.",
    "circle.lead_handed": "{left} left “{circle}”; {name} leads it now.",
    "circle.below_two": (
        "“{circle}” has one member left, you, and a pen pal who counts on it. Invite new "
        "members with /circle invite, or choose:"
    ),
    "circle.below_two_coord": (
        "**Circle #{id} “{circle}” has one member left** ({name}) and a pen pal. Find members, "
        "hand the pen pal to {name}, or end it (she waits again with her original date):"
    ),
    "circle.settled_already": "“{circle}” is settled already.",
    "circle.settle_who": "Only the circle's lead or a coordinator decides this.",
    "circle.handed_to_you": (
        "You write to {penpal} yourself from now on (she was “{circle}”'s pen pal). Her "
        "reminders come to you as before."
    ),
    "circle.handed": "{name} writes to the pen pals of “{circle}” alone now.",
    "circle.ended_matches": Plural(
        "The correspondence of “{circle}” ended; its pen pal waits again with her original date.",
        "{count} correspondences of “{circle}” ended; each pen pal waits again with her "
        "original date.",
        count="count",
    ),
    "circle.dissolved_member": "The coordinators ended the writing circle “{circle}”.",
    "circle.dissolved": Plural(
        "“{circle}” is ended; its pen pal waits again (a closing letter was asked for).",
        "“{circle}” is ended; its {count} pen pals wait again (a closing letter was asked for).",
        count="count",
    ),
    "circle.standing": "Your circle “{circle}” writes to her: {name}'s turn.",
    "circle.member_of": "{name} (circle “{circle}”)",
    "circle.match_ended": (
        "Your circle's correspondence with {penpal} has ended ({reason}). The member whose turn "
        "it was was asked for the closing letter; please don't write to her any more."
    ),
    "match.turn_moved": (
        "{volunteer} is paused; “{circle}” goes on writing to her: it is {name}'s turn now "
        "(she was told)."
    ),
    "circle.place.joined": "{name} joined “{circle}”. Welcome!",
    "circle.place.left": "{name} left “{circle}”.",
    "circle.place.matched": (
        "“{circle}” writes to **{penpal}** now. {name} writes the first letter, by {due}. Each "
        "of you has her details in a private message: keep them out of this chat."
    ),
    "circle.place.letter_in": "A letter from {penpal} came: {name} answers it, by {due}.",
    "circle.place.answered": "{name} answered {penpal}. Next turn: {next}.",
    "circle.place.passed": "{name} passed her turn with {penpal} to {next}.",
    "circle.place.turn_away": "{name} is away: {next} writes to {penpal} for now.",
    "circle.place.turn_left": "{name}'s turn with {penpal} goes to {next}.",
    "circle.place.help": "{name} asks for a hand with the next letter. Who can help?",
    "circle.place.dissolved": "The writing circle “{circle}” has ended.",
    "cmd.coord.group.circle": "Writing circles",
    "cmd.coord.circle_list": "Writing circles: members, pen pals, turns",
    "cmd.coord.circle_approve": "Approve a circle's lead",
    "cmd.coord.circle_match": "Match a waiting pen pal to a circle",
    "cmd.coord.circle_dissolve": "End a circle (its pen pals wait again)",
    "coord.line.circle_list": "/coord circle list [NAME] – writing circles, members, turns, letters",
    "coord.line.circle_approve": "/coord circle approve NUMBER – approve a circle's lead",
    "coord.line.circle_match": (
        "/coord circle match PENPAL CIRCLE – match a waiting pen pal (her number) to a circle"
    ),
    "coord.line.circle_dissolve": "/coord circle dissolve CIRCLE – end a circle",
    "arg.circle": "The circle's number or name",
    "arg.circle_id": "The circle's number",
    "cmd.coord.group.schedule": "Announcements sent on a schedule",
}


OVERSIGHT_MESSAGES: dict[str, Entry] = {
    "cmd.coord.pending": "Sign-ups waiting for approval",
    "cmd.coord.volunteer": "One volunteer: profile, matches, letters, reliability",
    "cmd.coord.penpals": "The waiting list, longest wait first",
    "cmd.coord.penpal_find": "Find a pen pal by name, ID number or facility",
    "arg.search": "Part of her name, her ID number or her facility",
    "cmd.coord.stats": "The program's numbers",
    "cmd.coord.audit": "Who did what, most recent first",
    "cmd.coord.reassign": "End a match with a reason and propose a new volunteer for her",
    "arg.who": "Her number, or part of her name or handle",
    "arg.filter": "A language code (es), an interest (books), or woman",
    "button.previous": "◀ Previous",
    "button.next": "Next ▶",
    "button.approve_n": "Approve #{id}",
    "button.reject_n": "Reject #{id}",
    "oversight.pending": (
        "Sign-ups waiting for approval ({count}), page {page} of {pages}:\n{lines}"
    ),
    "oversight.pending_line": (
        "#{id} **{name}** · {languages} · up to {capacity} · signed up {since} on {platforms}{quiz}"
    ),
    "quiz.pending_not_passed": Plural(
        " · quiz not passed yet (1 try)", " · quiz not passed yet ({tries} tries)", count="tries"
    ),
    "quiz.pending_passed": " · {line}",
    "oversight.pending_none": "No sign-ups are waiting for approval.",
    "oversight.volunteer_usage": "Whom? /coord volunteer NUMBER, or part of her name or handle.",
    "oversight.volunteer_none": "No volunteer matches “{who}”.",
    "oversight.volunteer_many": "Several volunteers match; ask again with a number:\n{lines}",
    "oversight.volunteer_choice": "#{id} {name}",
    "oversight.volunteer": (
        "Volunteer #{id}: **{name}**{pronouns}, {status}\n"
        "Languages: {languages} · interests: {interests}\n"
        "Up to {capacity} · time zone {timezone} · accounts: {accounts}\n"
        "Replies on time: {on_time} · late: {late} · past due and not answered: {unanswered}\n"
        "Matches:\n{matches}"
    ),
    "oversight.volunteer_match": Plural(
        "match {id} with {penpal} · {state} · 1 letter received, {sent} sent",
        "match {id} with {penpal} · {state} · {received} letters received, {sent} sent",
        count="received",
    ),
    "oversight.match_since": "{status} since {day}",
    "oversight.volunteer_circle": (
        "member of the writing circle “{circle}” (#{id}): /coord circle list {circle} shows its "
        "pen pals and turns"
    ),
    "oversight.match_ended": "ended on {day}: {reason} (began {began})",
    "match_status.proposed": "proposed",
    "match_status.skipped": "skipped",
    "match_status.active": "active",
    "match_status.paused": "paused",
    "match_status.ended": "ended",
    "oversight.volunteer_no_matches": "none yet",
    "oversight.penpals": (
        "Waiting list ({count}, filter: {filter}), longest wait first, page {page} of "
        "{pages}:\n{lines}"
    ),
    "oversight.penpal_line": "#{id} {name} · {languages} · {interests} · {days} waiting",
    "oversight.penpals_none": (
        "Nobody matches “{text}”: no one on the waiting list has that language or interest, "
        "and no pen pal's name, ID number or facility contains it."
    ),
    "oversight.waiting_empty": "Nobody is on the waiting list right now.",
    "oversight.find_usage": "Find a pen pal: /coord penpal find NAME, ID NUMBER or FACILITY",
    "oversight.find_none": (
        "No pen pal's name, ID number or facility contains “{text}”. Try part of a name."
    ),
    "oversight.found": Plural(
        "1 pen pal found for “{text}”:\n{lines}",
        "{count} pen pals found for “{text}”:\n{lines}",
        count="count",
    ),
    "oversight.found_more": (
        "More than {count} pen pals found for “{text}”; the first {count} (type more of it to "
        "narrow it down):\n{lines}"
    ),
    "oversight.found_line": (
        "#{id} {name} ({committed}) · ID {id_number} · {facility} · {status} · address "
        "{address} · matches: {matches}"
    ),
    "oversight.penpal_choice": "#{id} {name} ({committed}) · ID {id_number}",
    "oversight.found_match.active": "#{id} with {volunteer}",
    "oversight.found_match.paused": "#{id} with {volunteer} (paused)",
    "oversight.found_match.proposed": "#{id} proposed to {volunteer}",
    "penpal_status.waiting": "waiting",
    "penpal_status.matched": "matched",
    "penpal_status.paused": "off the list until her address is known",
    "penpal_status.released": "released",
    "penpal_status.closed": "closed",
    "oversight.stats": (
        "Volunteers: {active} active, {paused} on a break, {pending} waiting for approval\n"
        "Waiting list: {waiting} · active matches: {matches}\n"
        "Letters logged in {month}: {letters}\n"
        "Median days to reply (last 90 days, {replies}): {median}\n"
        "Overdue replies: {overdue} · open concerns: {concerns}"
    ),
    "count.pen_pals": Plural("{n} pen pal", "{n} pen pals"),
    "count.replies": Plural("{n} reply", "{n} replies"),
    "oversight.audit": "Audit trail, newest first, page {page} of {pages}:\n{lines}",
    "oversight.audit_line": "{at} · {actor} · {action} · {subject}",
    "oversight.audit_none": "The audit trail is empty.",
    "oversight.reassign_usage": "/coord reassign MATCH REASON (reasons: {reasons})",
    "cmd.quiz": "The program's short quiz about its guidelines",
    "quiz.none": "This program has no quiz.",
    "quiz.sign_up_first": "The quiz comes after signing up: send /signup to begin.",
    "quiz.passed_already": "You have passed the quiz already ({score} of {total} right). Thank you!",
    "quiz.intro": Plural(
        "One short question about the guidelines.",
        "{total} short questions about the guidelines, one at a time.",
        count="total",
    ),
    "quiz.before": "{text}\n\n",
    "quiz.question": "{before}**Question {number} of {total}**\n{text}",
    "quiz.missed_line": "• {question}\n  The right answer: {right}",
    "quiz.failed": (
        "You got {score} of {total} right. The ones to look at again:\n{lines}\n\n"
        "When you are ready, send /quiz to try again."
    ),
    "quiz.passed_pending": (
        "All {total} right: thank you! A coordinator will now look at your sign-up, and you "
        "will hear from us here."
    ),
    "quiz.passed_active": (
        "All {total} right: thank you! You are an active volunteer now; your first pen pal's "
        "details come here once you are matched."
    ),
    "quiz.passed": "All {total} right: thank you!",
    "quiz.then_pending": "before a coordinator looks at your sign-up",
    "quiz.then_active": "before you are matched with a pen pal",
    "signup.done_quiz": (
        "Thank you, {name}! One more step {then}: a few questions about the guidelines you "
        "just read."
    ),
    "quiz.score_passed": Plural(
        "\nQuiz: passed at the first try ({first} of {total} right)",
        "\nQuiz: {first} of {total} right at the first try, passed after {tries} tries",
        count="tries",
    ),
    "quiz.score_failed": Plural(
        "\nQuiz: not passed yet ({score} of {total} right, 1 try)",
        "\nQuiz: not passed yet ({score} of {total} right at the latest of {tries} tries)",
        count="tries",
    ),
}
