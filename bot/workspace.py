"""The coordinators' web workspace, in the core: login through the bot, sessions, and what its
pages show. The web adapter (`web/`) only translates requests and renders pages.

Login needs no password: `/coord web` sends a coordinator, privately, a link that works once
within `LINK_MINUTES`. Opening it starts a session for `session_hours`, kept in a signed,
HttpOnly, SameSite=Strict cookie. Only hashes of the link and of the session id are stored. On
every request the person must still be a coordinator (`still_coordinator`, which the platforms
answer); one who no longer is loses every session of hers. Every page view and download is in
the audit log."""

from __future__ import annotations

import bisect
import hashlib
import hmac
import secrets
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import (
    Actor,
    AuditEntry,
    Concern,
    Platform,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.workspace import (
    AddressRow,
    AuditFilter,
    Chart,
    Glance,
    MatchRow,
    PendingRow,
    ProposalRow,
    Report,
    Series,
    VolunteerRow,
    WaitingFilter,
    WaitingRow,
    WebSession,
)
from bot.letters import overdue_rows
from bot.messages import Message, msg
from bot.reminders.policy import NEVER, ReminderPolicy, next_check

LINK_MINUTES = 10
RECHECK = timedelta(minutes=1)
"""How long an answer of `still_coordinator` is trusted."""
SESSION_READ = timedelta(seconds=10)
"""How long a session read from the database is trusted before it is read again (this process
ends sessions itself: a logout or a lost role takes effect at once)."""
GLANCE_FOR = timedelta(seconds=15)
CHARTS_FOR = timedelta(minutes=5)
T = TypeVar("T")
StillCoordinator = Callable[[Platform, str], Awaitable[bool]]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def _nobody(platform: Platform, user_id: str) -> bool:
    return False


@dataclass
class WorkspaceService:
    """Login links, sessions and the workspace's pages."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    public_url: str = ""
    """Where the workspace is reached, e.g. https://letters.example.org ('' : off)."""
    session_hours: int = 12
    check_days: int = 90
    zone: str = "UTC"
    still_coordinator: StillCoordinator = field(default=_nobody)
    """Whether someone is a coordinator now (set by the composition root from the platforms)."""
    _key: bytes = b""
    _checks: dict[tuple[Platform, str], tuple[datetime, bool]] = field(default_factory=dict)
    _memo: dict[str, tuple[datetime, object]] = field(default_factory=dict)
    _sessions: dict[str, tuple[datetime, WebSession]] = field(default_factory=dict)
    """Sessions read lately (by the hash of their id), trusted for `SESSION_READ`."""

    @property
    def enabled(self) -> bool:
        return bool(self.public_url)

    # ----- login -----------------------------------------------------------------------------
    async def link(self, actor: Actor) -> Message:
        """`/coord web`: a one-time link, for her eyes only."""
        if not actor.is_coordinator:
            raise NotAllowed()
        actor_platform, user_id = actor.platform, actor.user_id
        if not self.enabled:
            raise BotError("web.off")
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.uow() as uow:
            await uow.workspace.forget_expired(now)
            until = now + timedelta(minutes=LINK_MINUTES)
            await uow.workspace.add_link(_hash(token), actor_platform, user_id, now, until)
            await uow.audit.add(f"{actor_platform.value}:{user_id}", "web.link", "web", now)
            await uow.commit()
        url = f"{self.public_url.rstrip('/')}/login/{token}"
        return msg("web.link", url=url, minutes=LINK_MINUTES)

    async def login(self, token: str) -> str | None:
        """A link opened: a new session's cookie value, or None (used, expired, unknown, or
        she is no longer a coordinator)."""
        now = self.clock.now()
        async with self.uow() as uow:
            found = await uow.workspace.use_link(_hash(token), now)
            await uow.commit()
        if found is None:
            return None
        platform, user_id = found
        if not await self.still_coordinator(platform, user_id):
            return None
        session_id = secrets.token_urlsafe(32)
        session = WebSession(
            platform, user_id, secrets.token_urlsafe(24), now + timedelta(hours=self.session_hours)
        )
        async with self.uow() as uow:
            await uow.workspace.add_session(_hash(session_id), session, now)
            await uow.audit.add(session.label, "web.login", "web", now)
            await uow.commit()
        return await self._signed(session_id)

    async def session(self, cookie: str) -> WebSession | None:
        """The session a cookie names, if it is valid and she is still a coordinator (if she is
        not, every session of hers ends)."""
        session_id = await self._verified(cookie)
        if session_id is None:
            return None
        now = self.clock.now()
        key = _hash(session_id)
        remembered = self._sessions.get(key)
        if (
            remembered is not None
            and now - remembered[0] < SESSION_READ
            and now < remembered[1].expires_at
        ):
            found: WebSession | None = remembered[1]
        else:
            async with self.uow() as uow:
                found = await uow.workspace.session(key, now)
            if found is not None:
                self._sessions[key] = (now, found)
        if found is None:
            self._sessions.pop(key, None)
            return None
        if not await self._checked(found.platform, found.user_id):
            async with self.uow() as uow:
                await uow.workspace.end_sessions_of(found.platform, found.user_id)
                await uow.audit.add(found.label, "web.sessions_ended", "web", now)
                await uow.commit()
            for hashed, (_, known) in list(self._sessions.items()):
                if (known.platform, known.user_id) == (found.platform, found.user_id):
                    del self._sessions[hashed]
            return None
        return found

    async def _checked(self, platform: Platform, user_id: str) -> bool:
        """`still_coordinator`, asked at most once a minute per person (a Discord role is
        asked of Discord: a page that loads several things asks once)."""
        now = self.clock.now()
        known = self._checks.get((platform, user_id))
        if known is not None and now - known[0] < RECHECK:
            return known[1]
        answer = await self.still_coordinator(platform, user_id)
        self._checks[(platform, user_id)] = (now, answer)
        return answer

    async def logout(self, cookie: str) -> None:
        session_id = await self._verified(cookie)
        if session_id is None:
            return
        self._sessions.pop(_hash(session_id), None)
        async with self.uow() as uow:
            await uow.workspace.end_session(_hash(session_id))
            await uow.commit()

    async def seen(self, session: WebSession, what: str) -> None:
        """A page view or a download, in the audit log."""
        async with self.uow() as uow:
            await uow.audit.add(session.label, "web.view", what, self.clock.now())
            await uow.commit()

    async def _signing_key(self) -> bytes:
        if not self._key:
            async with self.uow() as uow:
                key = await uow.workspace.key()
                await uow.commit()
            self._key = key.encode()
        return self._key

    async def _signed(self, session_id: str) -> str:
        mac = hmac.new(await self._signing_key(), session_id.encode(), "sha256").hexdigest()
        return f"{session_id}.{mac}"

    async def _verified(self, cookie: str) -> str | None:
        session_id, _, mac = cookie.rpartition(".")
        if not session_id or not mac:
            return None
        expected = hmac.new(await self._signing_key(), session_id.encode(), "sha256").hexdigest()
        return session_id if hmac.compare_digest(mac, expected) else None

    # ----- pages -----------------------------------------------------------------------------
    def today(self) -> date:
        return self.clock.now().astimezone(ZoneInfo(self.zone)).date()

    async def _cached(self, name: str, ttl: timedelta, compute: Callable[[], Awaitable[T]]) -> T:
        """What `compute` gave less than `ttl` ago (figures read often and changing slowly:
        the dashboard and the charts), else computed now."""
        now = self.clock.now()
        found = self._memo.get(name)
        if found is not None and now - found[0] < ttl:
            return cast(T, found[1])
        value = await compute()
        self._memo[name] = (now, value)
        return value

    def forget_figures(self) -> None:
        """After an action from the workspace: the next page counts again."""
        self._memo.clear()

    async def glance(self) -> Glance:
        """The program at a glance (counted at most every `GLANCE_FOR`)."""
        return await self._cached("glance", GLANCE_FOR, self._glance)

    async def _glance(self) -> Glance:
        today = self.today()
        async with self.uow() as uow:
            found = await uow.workspace.glance(
                today.replace(day=1), today - timedelta(days=self.check_days)
            )
            active = await uow.letters.active(today)
        overdue = len(overdue_rows(active, self.policy, today))
        return Glance(**{**found.__dict__, "overdue": overdue})

    async def waiting(self, wanted: WaitingFilter) -> tuple[list[WaitingRow], int, list[str]]:
        async with self.uow() as uow:
            rows, total = await uow.workspace.waiting(wanted, self.today())
            facilities = await uow.workspace.facility_names()
        return rows, total, facilities

    async def matches(self, page: int) -> tuple[list[MatchRow], int]:
        """Matches under way, with the day of each one's next reminder and how late a reply
        is (as the reminder policy decides; none for a volunteer on a break)."""
        now = self.clock.now()
        today = self.today()
        async with self.uow() as uow:
            rows, total = await uow.workspace.matches(page)
            active = await uow.letters.active(today, match_ids=[r.match_id for r in rows])
        late = {
            item.rhythm.match_id: days for days, item, _ in overdue_rows(active, self.policy, today)
        }
        upcoming = {}
        for item in active:
            at = next_check(item.rhythm, self.policy, now)
            if at != NEVER:
                upcoming[item.rhythm.match_id] = at.astimezone(
                    ZoneInfo(item.rhythm.timezone)
                ).date()
        return [
            replace(
                row,
                next_reminder=upcoming.get(row.match_id),
                overdue_days=late.get(row.match_id, 0),
            )
            for row in rows
        ], total

    async def volunteers(self, page: int) -> tuple[list[VolunteerRow], int]:
        async with self.uow() as uow:
            return await uow.workspace.volunteers(page, self.policy.reply_days)

    async def audit(self, wanted: AuditFilter) -> tuple[list[AuditEntry], int]:
        async with self.uow() as uow:
            return await uow.workspace.audit(wanted)

    async def concerns(self) -> tuple[list[Concern], list[Concern], dict[int, str]]:
        """Open concerns, the latest handled ones, and the names of the volunteers who raised
        them."""
        async with self.uow() as uow:
            opened = await uow.concerns.open(200)
            handled = await uow.concerns.handled(50)
            names: dict[int, str] = {}
            for concern in (*opened, *handled):
                if concern.volunteer_id is not None and concern.volunteer_id not in names:
                    volunteer = await uow.volunteers.get(concern.volunteer_id)
                    names[concern.volunteer_id] = volunteer.display_name if volunteer else ""
        return opened, handled, names

    async def proposals(self) -> list[ProposalRow]:
        """Proposed matches waiting for a coordinator's Confirm or Skip."""
        async with self.uow() as uow:
            rows = []
            for match in await uow.matches.open_proposals():
                volunteer = await uow.volunteers.get(match.volunteer_id)
                penpal = await uow.penpals.get(match.penpal_id)
                rows.append(
                    ProposalRow(
                        match.id,
                        volunteer.display_name if volunteer else "?",
                        penpal.preferred_name if penpal else "?",
                        match.proposed_at,
                        match.score,
                    )
                )
        return rows

    async def pending(self) -> list[PendingRow]:
        """Sign-ups waiting for approval, the oldest first."""
        async with self.uow() as uow:
            waiting = await uow.volunteers.with_status(VolunteerStatus.PENDING)
        return [
            PendingRow(v.id, v.display_name, v.languages, v.capacity, v.created_at.date())
            for v in waiting
        ]

    async def addresses(self, page: int = 0) -> tuple[list[AddressRow], int]:
        """Addresses in doubt, then those not confirmed for `check_days`, the oldest first."""
        stale = self.today() - timedelta(days=self.check_days)
        async with self.uow() as uow:
            return await uow.workspace.addresses(stale, page)

    # ----- charts and reports -----------------------------------------------------------------
    async def charts(self) -> list[Chart]:
        """The charts that answer the coordinators' questions, each with its figures (drawn
        from the database at most every `CHARTS_FOR`)."""
        return await self._cached("charts", CHARTS_FOR, self._charts)

    async def _charts(self, weeks: int = 26, months: int = 12) -> list[Chart]:
        today = self.today()
        monday = today - timedelta(days=today.weekday())
        week_starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
        month_starts = _months_back(today, months)
        async with self.uow() as uow:
            weekly = await uow.workspace.letters_by_week(week_starts[0])
            replies = await uow.workspace.replies_since(month_starts[0])
            spans = await uow.workspace.waiting_spans()
            people = await uow.workspace.volunteers_by_month(month_starts[0])
            firsts = await uow.workspace.first_letters(month_starts[0])
        counts = {(week, direction): n for week, direction, n in weekly}
        letters = Chart(
            "letters",
            "web.chart.letters",
            tuple(w.isoformat() for w in week_starts),
            (
                Series("web.series.from_inside", tuple(
                    float(counts.get((w.isoformat(), "from_penpal"), 0)) for w in week_starts)),
                Series("web.series.to_inside", tuple(
                    float(counts.get((w.isoformat(), "to_penpal"), 0)) for w in week_starts)),
            ),
        )  # fmt: skip
        labels = tuple(m.strftime("%Y-%m") for m in month_starts)
        by_month: dict[str, list[float]] = {label: [] for label in labels}
        for arrived, replied in replies:
            if replied is not None and arrived.strftime("%Y-%m") in by_month:
                by_month[arrived.strftime("%Y-%m")].append(float((replied - arrived).days))
        reply_chart = Chart(
            "replies",
            "web.chart.replies",
            labels,
            (Series("web.series.median_days", tuple(_median(by_month[m]) for m in labels)),),
        )
        ends = [min(_month_end(m), today) for m in month_starts]
        sizes, longest = _waiting_over_time(spans, ends)
        waiting_chart = Chart(
            "waiting",
            "web.chart.waiting",
            labels,
            (
                Series("web.series.waiting", tuple(sizes)),
                Series("web.series.longest", tuple(longest), secondary=True),
            ),
        )
        moves = {month: (joined, left) for month, joined, left in people}
        people_chart = Chart(
            "volunteers",
            "web.chart.volunteers",
            labels,
            (
                Series("web.series.joined", tuple(float(moves.get(m, (0, 0))[0]) for m in labels)),
                Series("web.series.left", tuple(float(moves.get(m, (0, 0))[1]) for m in labels)),
            ),
        )
        first_by_month: dict[str, list[float]] = {label: [] for label in labels}
        for signed, first in firsts:
            if first is not None and signed.strftime("%Y-%m") in first_by_month:
                first_by_month[signed.strftime("%Y-%m")].append(float((first - signed).days))
        first_chart = Chart(
            "first_letter",
            "web.chart.first_letter",
            labels,
            (Series("web.series.median_days", tuple(_median(first_by_month[m]) for m in labels)),),
        )
        return [letters, reply_chart, waiting_chart, people_chart, first_chart]

    async def report(self, start: date, end: date) -> Report:
        """The figures for a funder's report over a period (both days included)."""
        if end < start:
            start, end = end, start
        async with self.uow() as uow:
            return await uow.workspace.report(start, end, self.policy.reply_days)


def _waiting_over_time(
    spans: list[tuple[date, date | None, str]], ends: list[date]
) -> tuple[list[float | None], list[float | None]]:
    """How many women were waiting at each of `ends`, and the longest wait then (days). A wait
    runs from `since` to her first match (or on, for one still waiting); a woman who left the
    list unmatched (released, say) is left out, as when she left is not known. Sorted once,
    then counted by bisection: a program's 20,000 pen pals take milliseconds."""
    kept = [(since, matched) for since, matched, status in spans
            if matched is not None or status == "waiting"]  # fmt: skip
    starts = sorted(since for since, _ in kept)
    matched_on = sorted(matched for _, matched in kept if matched is not None)
    by_start = sorted(kept, key=lambda span: span[0])
    sizes: list[float | None] = []
    longest: list[float | None] = []
    for end in ends:
        waiting = bisect.bisect_right(starts, end) - bisect.bisect_right(matched_on, end)
        sizes.append(float(waiting))
        oldest = next(
            (since for since, matched in by_start
             if since <= end and (matched is None or matched > end)),
            None,
        )  # fmt: skip
        longest.append(float((end - oldest).days) if oldest is not None else 0.0)
    return sizes, longest


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _months_back(today: date, months: int) -> list[date]:
    """The first day of each of the last `months` months, this one included, oldest first."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)
