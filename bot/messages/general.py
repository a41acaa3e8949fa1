"""Catalogue entries for welcome and help, sign-up, matching, browsing and the coordinators'
console (merged into bot.messages.CATALOGUE; a key defined in two parts is an error)."""

from bot.messages.forms import Entry, Plural

GUIDELINES_VERSION = "2026-11"

GENERAL_MESSAGES: dict[str, Entry] = {
    # General
    "welcome": "{intro}\n\n{commands}",
    "welcome.intro": (
        "Hello! I help **{program}** run its pen pal program for women in prison. Volunteers "
        "sign up here, are matched with a woman who asked for a pen pal, log the letters they "
        "send and receive, and get a gentle reminder when a reply is due."
    ),
    "help": "{commands}",
    "help.free_text": "I answer commands only, so nobody reads what is typed here. Here they are:\n\n{commands}",
    "commands.coordinator": (
        "{commands}\n\nYou are also a coordinator: send /coord alone to see the coordinators' "
        "commands."
    ),
    "commands.telegram": (
        "/signup – sign up as a volunteer writer (or update your answers)\n"
        "/me – your profile and status\n"
        "/mypenpals – your pen pals and where to write to them\n"
        "/browse – women waiting for a pen pal (if your program lets volunteers choose)\n"
        "/letter sent|received [date] – log a letter\n"
        "/letters – the letters logged with a pen pal\n"
        "/circle – write to a pen pal together with other volunteers, in turn\n"
        "/cancel – stop a sign-up in progress\n"
        "/pause [date] – take a break; /resume – end it; /leave – leave the program\n"
        "/link – join your Telegram and Discord accounts; /unlink – separate them\n"
        "/concern – tell the coordinators about a worry, privately\n"
        "/mydata – everything kept about you; /forgetme – erase it\n"
        "/language – the language I write to you in\n"
        "/help – this list"
    ),
    "commands.discord": (
        "/signup – sign up as a volunteer writer (or update your answers)\n"
        "/me – your profile and status\n"
        "/mypenpals – your pen pals and where to write to them\n"
        "/browse – women waiting for a pen pal (if your program lets volunteers choose)\n"
        "/letter sent|received – log a letter\n"
        "/letters – the letters logged with a pen pal\n"
        "/circle – write to a pen pal together with other volunteers, in turn\n"
        "/pause [until] – take a break; /resume – end it; /leave – leave the program\n"
        "/link – join your Telegram and Discord accounts; /unlink – separate them\n"
        "/concern – tell the coordinators about a worry, privately\n"
        "/mydata – everything kept about you; /forgetme – erase it\n"
        "/language – the language I write to you in\n"
        "/help – this list\n"
        "My answers here are visible only to you."
    ),
    "cmd.start": "What this bot does",
    "cmd.signup": "Sign up as a volunteer writer",
    "cmd.me": "Your profile and status",
    "cmd.cancel": "Stop a sign-up in progress",
    "cmd.help": "The list of commands",
    "cmd.mypenpals": "Your pen pals and where to write to them",
    "cmd.coord": "Coordinators: /coord match",
    "button.confirm": "Confirm",
    "group_chat_private": (
        "Sign-up happens in a private chat with me, so that your answers stay private. "
        "Open a chat with me and send /signup there."
    ),
    "error.unexpected": "Sorry, something went wrong on my side. Please try again in a moment.",
    "error.stale_command": (
        "That command has changed since your Discord app loaded it. Please open it again from "
        "the / menu (right after an update of the bot, it can take a minute to appear)."
    ),
    "error.not_coordinator": "Only the program's coordinators can do that.",
    "error.expired": "This menu has expired. Please start again.",
    "error.unknown_command": "I don't know that command. Send /help for the ones I know.",
    # Sign-up questions
    "signup.intro": "Let's get you signed up as a volunteer writer. You can send /cancel at any point.",
    "signup.updating": (
        "You have already signed up, so your answers will update your profile. "
        "You can send /cancel at any point."
    ),
    "signup.ask.name": (
        "What name should we use for you? A pen name is fine (up to {max} characters)."
    ),
    "signup.ask.pronouns": "Your pronouns (optional; for example she/her). Press Skip to leave it out.",
    "signup.ask.pen_name": (
        "In this program your pen pal writes to you at the program's address, never yours. Which "
        "name do you sign your letters with? A first name or a pen name is enough; she writes "
        "back to it. Type it, or press the button to sign as {name}."
    ),
    "button.use_my_name": "Sign with my name",
    "button.choose_pen_name": "Choose a pen name",
    "form.pen_name_title": "Your pen name",
    "signup.ask.languages": (
        "Which languages can you write letters in? Pick them and press Done, or type them "
        "separated by commas."
    ),
    "signup.ask.interests": (
        "A few interests you would enjoy writing about, separated by commas "
        "(for example: books, gardening, music)."
    ),
    "signup.ask.kinds": (
        "What kind of correspondence would you like to offer? Choose any that fit, or none."
    ),
    "signup.ask.woman": "Many women in prison ask for a woman writer. Do you write as a woman?",
    "signup.ask.capacity": "How many pen pals can you write to? Be honest: a reply missed hurts.",
    "signup.ask.frequency": "How often can you write?",
    "signup.ask.timezone": (
        "Where do you live, for your time zone? Type your city (Houston, Ciudad de México) or "
        "your zone (Eastern, America/Chicago). Reminders never arrive at night."
    ),
    "signup.ask.timezone_which": (
        "That could be more than one place. Which one is yours? (Or type your city, like "
        "“Portland, Maine”.)"
    ),
    "signup.press_agree": (
        "To agree to the guidelines above, please press the “{button}” button (here, or under "
        "them). Typing it does not count, so that nobody agrees by accident."
    ),
    "signup.ask.consent": (
        "**The program's guidelines** (version {version})\n{text}\n\nDo you agree to follow them?"
    ),
    "signup.guidelines": (
        "• Use the organisation's return address or PO box, never your home address, phone "
        "or e-mail.\n"
        "• Don't send money; report any request for money.\n"
        "• White paper, blue or black ink; no stickers, glitter, tape, staples, scent or polaroids. "
        "Her ID number goes on the envelope and every page. Each facility's own rules come with "
        "its address.\n"
        "• Keep it platonic; don't contact her family, lawyer or other prisoners for her.\n"
        "• Keep copies of your letters, and be honest about how often you can write.\n"
        "• Tell the program when you stop, so she goes back to the front of the line."
    ),
    "signup.timezone_chosen": "Time zone: {place} (it is {time} there now).",
    "signup.done_pending": (
        "Thank you, {name}! Your sign-up is complete. A coordinator will review it soon and "
        "I will let you know."
    ),
    "signup.done_active": "Thank you, {name}! You're signed up and ready to be matched.",
    "signup.done_updated": "Thank you, {name}! Your profile is updated.",
    "signup.cancelled": "Sign-up cancelled. Nothing was changed. Send /signup to start again.",
    "signup.nothing_to_cancel": "There is nothing to cancel.",
    "signup.not_started": "You have no sign-up in progress. Send /signup to start one.",
    "signup.fix_these": "Some answers need another look:\n{problems}",
    "signup.modal_title": "Volunteer sign-up",
    # Validation problems
    "invalid.required": "{field}: please give an answer.",
    "invalid.too_long": "{field}: at most {max} characters, please (you sent {length}).",
    "invalid.too_many": "{field}: at most {max} items, please.",
    "invalid.languages": ("{field}: I don't recognise {unknown}. Languages I know: {known}."),
    "invalid.kinds": "{field}: any of {known}, please.",
    "invalid.yesno": "{field}: yes or no, please.",
    "invalid.capacity": "{field}: a whole number from 1 to {max}, please.",
    "invalid.frequency": "{field}: weekly, fortnightly or monthly, please.",
    "invalid.timezone": (
        "{field}: I couldn't find “{typed}”. Try the nearest large city (Houston, Ciudad de "
        "México, “Portland, Maine”) or a zone (Eastern, America/Chicago)."
    ),
    "invalid.consent_first": "Please answer the other questions before agreeing to the guidelines.",
    # Field names
    "field.name": "Name or pen name",
    "field.pronouns": "Pronouns",
    "field.pen_name": "Pen name",
    "field.languages": "Languages",
    "field.interests": "Interests",
    "field.kinds": "Kinds of correspondence",
    "field.woman": "Writing as a woman",
    "field.capacity": "Number of pen pals",
    "field.frequency": "How often",
    "field.timezone": "Time zone",
    # Choices and buttons
    "kind.friendship": "Friendship",
    "kind.spiritual": "Spiritual",
    "kind.creative": "Creative",
    "kind.activist": "Activist",
    "kind.educational": "Educational",
    "choice.yes": "Yes",
    "choice.no": "No",
    "frequency.weekly": "Every week",
    "frequency.fortnightly": "Every two weeks",
    "frequency.monthly": "Once a month",
    "frequency_in_text.weekly": "every week",
    "frequency_in_text.fortnightly": "every two weeks",
    "frequency_in_text.monthly": "once a month",
    "button.agree": "I agree",
    "button.cancel": "Cancel",
    "button.skip": "Skip",
    "button.done": "Done",
    "button.none_of_these": "None of these",
    "button.continue": "Continue",
    "button.approve": "Approve",
    "button.reject": "Reject",
    "capacity.choice": Plural("{n} pen pal", "{n} pen pals"),
    "format.day": "EEEE d MMMM",
    "format.month": "MMMM y",
    "cmd.language": "Choose the language I write to you in",
    "language.ask": "Which language should I write to you in?",
    "language.chosen": "From now on I'll write to you in English.",
    "language.unknown": "I can't write in that language yet.",
    "language.name.en": "English",
    "language.name.es": "Español",
    "literal": "{text}",
    # Profile
    "me.none": "You haven't signed up yet. Send /signup to start.",
    "me.signing_up": (
        "Your sign-up isn't finished yet. Send /signup to see the question you are on and "
        "carry on from there."
    ),
    "me.profile": (
        "**{name}**{pronouns}\n"
        "Status: {status}\n"
        "Languages: {languages}\n"
        "Interests: {interests}\n"
        "Pen pals: up to {capacity}, writing {frequency}\n"
        "Time zone: {zone}{pen_name}"
    ),
    "profile.pen_name": "\nSigns her letters as: {name}",
    "status.pending": "waiting for a coordinator's approval",
    "status.active": "active",
    "status.paused": "on a break",
    "status.paused_own": "on a break (send /resume when you are back)",
    "status.paused_until": "on a break until {until}",
    "status.rejected": "not approved",
    "status.left": "left the program",
    # Coordinators
    "coord.pending_signup": (
        "**New volunteer sign-up** (#{id}) on {platform}\n"
        "Name: {name}{pronouns}\nLanguages: {languages}\nInterests: {interests}\n"
        "Pen pals: up to {capacity}, writing {frequency}\nTime zone: {zone}{pen_name}{quiz}"
    ),
    "coord.approved": "Approved volunteer #{id} ({name}). Thank you!",
    "coord.rejected": "Rejected volunteer #{id} ({name}).",
    "coord.rejected_reason": "Rejected volunteer #{id} ({name}); she was told why, privately.",
    "coord.reject_ask": (
        "Reject volunteer #{id} ({name})? To tell her why, send /coord reject {id} followed by "
        "the reason: she reads it as you write it. Or reject her without a reason:"
    ),
    "coord.reason_too_long": "Please keep the reason under {limit} characters.",
    "button.reject_plain": "Reject without a reason",
    "form.reject_title": "Reject this sign-up",
    "cmd.coord.approve": "Approve a volunteer's sign-up",
    "cmd.coord.reject": "Reject a volunteer's sign-up, with a reason for her if you like",
    "arg.volunteer_number": "The volunteer's number (#N on her sign-up)",
    "arg.reject_reason": "Why: she reads it as you write it (optional)",
    "form.reject_reason": "Why (she reads it as you write it; optional)",
    "coord.already": "Volunteer #{id} ({name}) was already handled: {status}.",
    "match.none": "Nobody can be matched right now: no active volunteer with room shares a language with a waiting pen pal.",
    "match.run": Plural(
        "Matching run #{run}: 1 proposal. Confirm or skip it.",
        "Matching run #{run}: {count} proposals. Confirm or skip each one.",
        count="count",
    ),
    "match.proposal": (
        "**Proposal #{id}**: {volunteer} with {penpal}\n"
        "Shared languages: {languages}. Shared interests: {interests}. Waiting {days}."
    ),
    "match.confirmed": "Confirmed proposal #{id}: {volunteer} now writes to {penpal}. She has the mailing details.",
    "match.skipped": "Skipped proposal #{id}.",
    "match.gone": "Proposal #{id} can no longer be confirmed (something changed since the run); it was skipped.",
    "match.already": "Proposal #{id} was already handled.",
    "match.no_swap": "Skipped proposal #{id}: no other volunteer with room can write to {penpal} right now.",
    "button.swap": "Someone else",
    "match.details": (
        "**Your new pen pal: {penpal}**{pronouns}\n"
        "Write to:\n{committed_name}\nID {id_number}\n{address}\n\n"
        "**Mail rules at {facility}**\n{rules}\n\n"
        "Remember: the program's return address, never your own; her ID number on the envelope and "
        "every page; no money; keep it platonic. Your first letter is due by {due}.{sender}"
    ),
    "match.sender": (
        "\n\n**Put this return address on every envelope**, never your own:\n{address}"
    ),
    "match.sender_forwarding": (
        "\n\n**Put this return address on every envelope**, never your own:\n{address}\n"
        "Sign your letters as {name}: she writes back to that name at this address, and the "
        "program passes her letters on to you."
    ),
    "match.mine": (
        "**{penpal}**{pronouns}\n"
        "Write to:\n{committed_name}\nID {id_number}\n{address}\n\n"
        "**Mail rules at {facility}**\n{rules}\n\n{standing}{sender}"
    ),
    "mine.first": "Your first letter is due by {due}.",
    "mine.first_late": (
        "Your first letter was due on {due}. She is waiting to hear from you: a short letter now "
        "means a lot."
    ),
    "mine.reply": "Her letter reached you on {dated}; your reply is due by {due}.",
    "mine.reply_late": (
        "Her letter reached you on {dated}; your reply was due on {due}. A short letter now "
        "still means a lot."
    ),
    "mine.wrote": (
        "You last wrote to her on {dated}. When her answer comes, log it with /letter received."
    ),
    "mine.paused": "You are taking a break, so no reminders come until you are back.",
    "mine.paused_until": "You are taking a break until {until}; reminders start again then.",
    "match.mine_none": "You have no pen pal yet. A coordinator will match you soon.",
    "none": "none",
    "match.ended": "Ended match #{id} ({reason}). {penpal} is back on the waiting list with her original date.",
    "reassign.nobody": (
        "No volunteer with room can write to {penpal} right now. She keeps her original place "
        "in line, and the next /coord match considers her again."
    ),
    "match.ended_released": (
        "Ended match #{id} ({reason}). {penpal} is recorded as released and does not go back on "
        "the waiting list; her volunteer was told not to write to the old address."
    ),
    "match.ended_lost": (
        "Ended match #{id} ({reason}). {penpal} stays off the waiting list until her new address "
        "is known: /coord transfer {penpal_id} ID_NUMBER FACILITY records it and puts her back in "
        "line with her original date."
    ),
    "match.ended_volunteer": (
        "Your correspondence with {penpal} has ended ({reason}). A closing letter is expected: "
        "please write her one last letter within two weeks, so she is not left wondering."
    ),
    "match.ended_volunteer_released": (
        "Your correspondence with {penpal} has ended: she has been released. Please don't write "
        "to her old address any more; letters sent there will not reach her. Thank you for the "
        "letters you wrote her while she was inside."
    ),
    "match.ended_volunteer_lost": (
        "Your correspondence with {penpal} has ended: she was transferred and the program could "
        "not find her new address. Please don't write to the old one. If she is found, a "
        "coordinator will tell you."
    ),
    "end_reason_word.volunteer_stopped": "volunteer stopped",
    "end_reason_word.no_reply": "no reply",
    "end_reason_word.released": "released",
    "end_reason_word.transferred_and_lost": "transferred and lost",
    "end_reason_word.boundary_problem": "boundary problem",
    "end_reason_word.coordinator_decision": "coordinator decision",
    "end_reason_word.volunteer_left": "volunteer left",
    "end_reason.volunteer_stopped": "the volunteer stopped",
    "end_reason.no_reply": "no reply",
    "end_reason.released": "she was released",
    "end_reason.transferred_and_lost": "she was transferred and contact was lost",
    "end_reason.boundary_problem": "a boundary problem",
    "end_reason.coordinator_decision": "a coordinator's decision",
    "end_reason.volunteer_left": "the volunteer left the program",
    "match.not_active": "Match #{id} is not active.",
    "penpal.unknown": "There is no pen pal #{id}.",
    "penpal.unknown_facility": "There is no facility called “{name}”. Check the spelling, or import it first.",
    "penpal.transferred": "Pen pal #{id} now has the new address; her matched volunteers were told privately.",
    "penpal.need_id_number": "Her ID number at the new facility, please.",
    "penpal.transferred_volunteer": (
        "{penpal} has been moved to another facility. Send your letters to the new address:\n"
        "{committed_name}\nID {id_number}\n{address}\n\n**Mail rules at {facility}**\n{rules}\n\n"
        "Letters already sent to her old address may come back over the next weeks; if one "
        "does, /letter returned notes it and nothing else is needed.{sender}"
    ),
    "penpal.released": (
        "Pen pal #{id} is recorded as released; her matches ended and her volunteers were told "
        "privately not to write to the old address."
    ),
    "coord.usage": "Coordinator commands:\n{lines}",
    "coord.did_you_mean": "There is no /coord {typed}. Did you mean /coord {meant}?\n{usage}",
    "coord.unknown": "There is no /coord {typed}. Coordinator commands:\n{lines}",
    "coord.line.match": "/coord match – propose pen pals for the whole waiting list",
    "coord.line.end": "/coord end MATCH REASON – end a match (reasons: {reasons})",
    "coord.line.transfer": "/coord transfer PENPAL ID_NUMBER FACILITY – she moved",
    "coord.line.release": "/coord release PENPAL [YYYY-MM-DD] – she was released",
    "coord.line.releasedate": "/coord penpal releasedate PENPAL DATE|none – a release date changed",
    "coord.line.addresses": "/coord penpal addresses – addresses in doubt or not confirmed lately",
    "coord.line.returned": "/coord penpal returned MATCH [REASON] – a letter came back (reasons: {returns})",
    "coord.line.overdue": "/coord overdue – matches with a reply overdue",
    "coord.line.letter": "/coord letter MATCH [YYYY-MM-DD] – forwarding: a letter reached the mailbox",
    "coord.line.broadcast": "/coord broadcast AUDIENCE (text on the next lines) – announce, with a preview",
    "coord.line.approve": "/coord approve NUMBER – approve a sign-up",
    "coord.line.reject": "/coord reject NUMBER [REASON] – reject a sign-up; the reason goes to her as you write it",
    "coord.line.remind": "/coord remind VOLUNTEER – send a volunteer a reminder now (number, name or @handle)",
    "coord.line.schedule": (
        "/coord schedule DAYS HH:MM TIMEZONE AUDIENCE (text on the next lines) – recurring"
    ),
    "coord.line.unschedule": "/coord schedule stop ID – stop a recurring announcement",
    "coord.line.concerns": "/coord concerns [NUMBER] – open concerns (one in full)",
    "coord.line.handled": "/coord handled [NUMBER NOTE] – mark a concern handled (alone: the handled ones)",
    "coord.line.answer": "/coord answer NUMBER TEXT – answer the volunteer who raised a concern, privately",
    "coord.line.pending": "/coord pending – sign-ups waiting for approval",
    "coord.line.volunteer": "/coord volunteer NUMBER|NAME – one volunteer, her matches and reliability",
    "coord.line.penpals": "/coord penpal [FILTER] – the waiting list (FILTER: es, books, woman...)",
    "coord.line.penpal_find": "/coord penpal find TEXT – one woman by name, ID number or facility, with her ids",
    "coord.line.penpal_add": "/coord penpal add (details on the next lines) – add or edit a pen pal",
    "coord.line.facility_add": (
        "/coord facility add (details on the next lines) – add or edit a facility"
    ),
    "coord.line.stats": "/coord stats – the program's numbers",
    "coord.line.audit": "/coord audit – who did what",
    "coord.line.reassign": "/coord reassign MATCH REASON – end a match and propose a new volunteer for her",
    "match.failed": (
        "Matching could not finish this time, so nothing changed: the proposals you had stay "
        "open. Please try /coord match again in a few minutes; if it fails again, the bot's log "
        "says why (see Troubleshooting in the README)."
    ),
    "cmd.coord.match": "Propose pen pals for the whole waiting list",
    "cmd.coord.group.penpal": "Pen pals: the waiting list, or add or edit one",
    "cmd.coord.group.facility": "Facilities: add or edit one",
    "arg.details": "One detail per line: column: value",
    "registry.example.penpal": (
        "committed_name: Jane Example Doe\nid_number: W12345\n"
        "facility: Example Women's Correctional Facility\nlanguages: English, Spanish\n"
        "interests: books, music"
    ),
    "registry.example.facility": (
        "name: Example Facility\naddress_line_1: PO Box 100\n"
        "address_line_2: Springfield ST 00001\nmail_rules: White paper only."
    ),
    "coord.bad_arguments": "I could not read that. {usage}",
    "cmd.coord.end": "End a match (she goes back to the waiting list)",
    "cmd.coord.transfer": "She moved: her new facility and ID number",
    "cmd.coord.release": "She was released (her matches end)",
    "arg.match": "The match number",
    "arg.reason": "Why it ends",
    "arg.penpal": "The pen pal (type her name or number)",
    "arg.id_number": "Her new ID number",
    "arg.facility": "The facility's name, as in the register",
    "arg.release_date": "Release date, YYYY-MM-DD (default today)",
    "registry.problems": "Nothing was saved. Please fix:\n{problems}",
    "registry.penpal.added": "Pen pal added to the waiting list.",
    "registry.penpal.updated": "Pen pal updated.",
    "registry.penpal.unchanged": "Nothing changed: the pen pal already had these details.",
    "registry.facility.added": "Facility added.",
    "registry.facility.updated": "Facility updated.",
    "registry.facility.unchanged": "Nothing changed: the facility already had these details.",
    "registry.telegram_form": (
        "Send the command with one detail per line, for example:\n"
        "/coord {kind} add\n{example}\n\nColumns: {columns}"
    ),
    "cmd.coord.penpal_add": "Add or edit a pen pal (by facility and ID number)",
    "cmd.coord.facility_add": "Add or edit a facility (by name)",
    "form.penpal_title": "Pen pal",
    "form.facility_title": "Facility",
    "form.address": "Mailing address (one line each)",
    "form.committed_name": "Committed (legal) name",
    "form.preferred_name": "Preferred name",
    "form.id_number": "ID number",
    "form.facility": "Facility (its name in the register)",
    "form.languages": "Languages",
    "form.name": "Facility name",
    "form.jurisdiction": "Jurisdiction",
    "form.mail_rules": "Mail rules",
    "form.emessaging_service": "E-messaging service (if any)",
    "browse.off": "This program matches pen pals through its coordinators, so there is nothing to browse.",
    "browse.not_active": "Browsing opens once your sign-up is approved and while you have room for another pen pal.",
    "browse.empty": "Nobody you could write to is waiting right now. Thank you for checking!",
    "browse.page": "Women waiting for a pen pal (page {page} of {pages}):",
    "browse.circle_page": (
        "Women waiting whom every member of your circle could write to (page {page} of {pages}):"
    ),
    "browse.circle_confirmed": (
        "Your circle now writes to {name}! Each member gets her mailing details in a private "
        "message."
    ),
    "browse.circle_request_for_coordinators": (
        "**Pen pal request for a circle** (#{id}): {volunteer} asks for {penpal} for the "
        "writing circle “{circle}” (waiting {days}). Every member meets her wishes."
    ),
    "browse.profile": (
        "**{name}**{pronouns}: {languages}. Interests: {interests}. Would like: {kinds}. "
        "Waiting {days}.\n{description}"
    ),
    "browse.requested": "Thank you! Your request to write to {name} went to the coordinators; I'll tell you when it's confirmed.",
    "browse.request_gone": "{name} can no longer be requested (she may have been matched meanwhile).",
    "browse.already": "You have already asked to write to {name}.",
    "browse.confirmed": (
        "You now write to {name}! Her mailing details are on their way to you in a private "
        "message, and /mypenpals shows them at any time."
    ),
    "browse.chosen_for_coordinators": (
        "{volunteer} chose to write to {penpal} through /browse (match {id}); she has the "
        "mailing details."
    ),
    "browse.request_for_coordinators": (
        "**Pen pal request** (#{id}): {volunteer} asks to write to {penpal} "
        "(shared languages: {languages}; waiting {days})."
    ),
    "button.request": "Write to {name}",
    "cmd.browse": "Browse women waiting for a pen pal",
    "invalid.date": "{field}: a date like 2026-11-28, please.",
    "volunteer.approved": "Good news, {name}: a coordinator approved your sign-up. You can be matched now.",
    "volunteer.rejected": (
        "Thank you for offering to write, {name}. A coordinator could not approve your sign-up "
        "this time; they may be in touch."
    ),
    "volunteer.rejected_reason": (
        "Thank you for offering to write, {name}. A coordinator could not approve your sign-up "
        "this time, and wrote this for you:\n{reason}"
    ),
}
