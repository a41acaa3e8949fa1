"""The coordinators' workspace on aiohttp: login by a link sent through the bot, then the
program's pages. Every sentence comes from the core's catalogue, in the coordinator's language;
every page view is in the audit log; nothing is reachable without a session but the login page
and the style sheet. No access log: a login link must not end up in a log."""

from __future__ import annotations

import csv
import html
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import pygal
import pygal.style
from aiohttp import web
from markupsafe import Markup
from multidict import MultiDictProxy

from bot.app.serving import LocalSite
from bot.circles import members_cell, writing_lines
from bot.domain.errors import BotError
from bot.domain.languages import COMMON, names
from bot.domain.models import CORRESPONDENCE_KINDS, AccountRef
from bot.domain.workspace import PAGE, AuditFilter, CircleRow, Report, WaitingFilter, WebSession
from bot.messages import LANGUAGE, Message, msg, render
from bot.messages.forms import Joined, Month
from bot.services import Services
from bot.sheets import EXPORTS, IMPORTS, MAX_BYTES

# pygal adds an import hook for its map plugins (pygal.maps.*, not used here) that predates
# find_spec: every later import then warns. It is taken out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

log = logging.getLogger(__name__)

COOKIE = "penpal_workspace"
PAGES = (
    ("/", "web.nav.glance"),
    ("/waiting", "web.nav.waiting"),
    ("/proposals", "web.nav.proposals"),
    ("/matches", "web.nav.matches"),
    ("/volunteers", "web.nav.volunteers"),
    ("/addresses", "web.nav.addresses"),
    ("/concerns", "web.nav.concerns"),
    ("/circles", "web.nav.circles"),
    ("/charts", "web.nav.charts"),
    ("/report", "web.nav.report"),
    ("/sheets", "web.nav.sheets"),
    ("/audit", "web.nav.audit"),
)
SORTS = (
    ("waiting", "web.sort.waiting"),
    ("name", "web.sort.name"),
    ("facility", "web.sort.facility"),
)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
Handler = Callable[[web.Request, WebSession], Awaitable[web.StreamResponse]]


def t(key: str, **params: object) -> Markup:
    """A catalogue sentence as HTML, in the language of the request (everything in it escaped;
    `**bold**` becomes <strong>)."""
    return Markup(render(msg(key, **params), escape=html.escape, bold=_strong))


def _strong(text: str) -> str:
    return f"<strong>{text}</strong>"


def _int(value: str | None, default: int = 0, top: int = 1_000_000) -> int:
    try:
        return max(0, min(int(value or default), top))
    except ValueError:
        return default


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Workspace:
    """The web workspace of one running bot."""

    def __init__(self, services: Services, program: str, secure_cookie: bool = False) -> None:
        self.services = services
        self.program = program
        self.secure_cookie = secure_cookie
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals["t"] = t
        self._site = LocalSite()
        self._flashes: dict[str, Message] = {}
        """What an action answered, shown once on the page it returns to (by session)."""

    # ----- serving ---------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.router.add_get("/login/{token}", self.login_page)
        app.router.add_post("/login/{token}", self.login)
        app.router.add_post("/logout", self.logout)
        app.router.add_static("/static", _static_dir(), show_index=False)
        for path, handler in (
            ("/", self.glance),
            ("/waiting", self.waiting),
            ("/proposals", self.proposals),
            ("/matches", self.matches),
            ("/volunteers", self.volunteers),
            ("/addresses", self.addresses),
            ("/concerns", self.concerns),
            ("/circles", self.circles),
            ("/charts", self.charts),
            ("/report", self.report),
            ("/sheets", self.sheets),
            ("/audit", self.audit),
        ):
            app.router.add_get(path, self._guarded(path, handler))
        app.router.add_get(
            r"/charts/{name:[a-z_]+}.svg", self._guarded("/charts/svg", self.chart, False)
        )
        app.router.add_get("/report.csv", self._guarded("/report.csv", self.report_csv))
        for kind in EXPORTS:
            app.router.add_get(
                f"/sheets/{kind}.csv", self._guarded(f"/sheets/{kind}.csv", self.sheet)
            )
        app.router.add_post("/sheets/import", self.sheet_import)
        app.router.add_post(r"/do/{action:[a-z_]+}/{number:\d{1,18}}", self.act)
        return app

    async def start(self, listen: str) -> tuple[str, int]:
        address = await self._site.start(self.app(), listen)
        log.info("coordinators' workspace on http://%s:%s/", *address)
        return address

    @property
    def address(self) -> tuple[str, int] | None:
        return self._site.address

    async def stop(self) -> None:
        await self._site.stop()

    @web.middleware
    async def _headers(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        response = await handler(request)
        response.headers.update(HEADERS)
        return response

    def _guarded(
        self, path: str, handler: Handler, audited: bool = True
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A page only for a coordinator with a session; anyone else gets the login hint. Page
        views and downloads are audited (a chart's picture is part of its page's view)."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            await self._speak(request, None)
            session = await self._session(request)
            if session is None:
                return self._page("hint.html", t("web.hint_title"), None, path, status=401,
                                  message=t("web.login_hint"))  # fmt: skip
            await self._speak(request, session)
            if audited:
                kind = "download" if path.endswith(".csv") else "page"
                await self.services.workspace.seen(session, f"{kind}:{path}")
            return await handler(request, session)

        return guarded

    async def _session(self, request: web.Request) -> WebSession | None:
        cookie = request.cookies.get(COOKIE, "")
        return await self.services.workspace.session(cookie) if cookie else None

    async def _speak(self, request: web.Request, session: WebSession | None) -> None:
        """The request is answered in the coordinator's language (else her browser's)."""
        hint = (request.headers.get("Accept-Language") or "").split(",")[0].split(";")[0]
        if session is None:
            spoken = hint or self.services.locales.default
            languages = self.services.locales.languages
            LANGUAGE.set(spoken[:2] if spoken[:2] in languages else self.services.locales.default)
            return
        account = AccountRef(session.platform, session.user_id)
        LANGUAGE.set((await self.services.locales.of(account, hint or None)).language)

    def _page(
        self,
        template: str,
        title: Markup,
        session: WebSession | None,
        current: str,
        status: int = 200,
        **values: Any,
    ) -> web.Response:
        flash = self._flashes.pop(session.csrf, None) if session is not None else None
        body = self.templates.get_template(template).render(
            title=title,
            flash=t("web.cell", value=flash) if flash is not None else "",
            session=session,
            current=current,
            nav_pages=PAGES,
            program=self.program,
            language=LANGUAGE.get(),
            **values,
        )
        return web.Response(text=body, content_type="text/html", status=status)

    # ----- login -----------------------------------------------------------------------------
    async def login_page(self, request: web.Request) -> web.Response:
        """The link opened: a button to log in (a link's preview, fetched by a chat app, must
        not use it up)."""
        await self._speak(request, None)
        return self._page("login.html", t("web.login_title"), None, "/login",
                          token=request.match_info["token"])  # fmt: skip

    async def login(self, request: web.Request) -> web.StreamResponse:
        await self._speak(request, None)
        cookie = await self.services.workspace.login(request.match_info["token"])
        if cookie is None:
            return self._page("hint.html", t("web.hint_title"), None, "/login", status=403,
                              message=t("web.link_refused"))  # fmt: skip
        response = _see_other("/")
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=self.services.workspace.session_hours * 3600,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookie,
            path="/",
        )
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        session = await self._session(request)
        form = await request.post()
        if session is not None and form.get("csrf") == session.csrf:
            await self.services.workspace.logout(request.cookies.get(COOKIE, ""))
        response = _see_other("/")
        response.del_cookie(COOKIE, path="/")
        return response

    # ----- pages -----------------------------------------------------------------------------
    async def glance(self, request: web.Request, session: WebSession) -> web.Response:
        g = await self.services.workspace.glance()
        today = self.services.workspace.today()
        month = Month(today.year, today.month)
        oldest = t("web.oldest_since", day=g.oldest_waiting.isoformat()) if g.oldest_waiting else ""
        cards = [
            ("web.card.waiting", g.waiting, oldest, "/waiting"),
            ("web.card.matches", g.active_matches, "", "/matches"),
            ("web.card.proposals", g.proposals, "", "/proposals"),
            ("web.card.letters_in", g.letters_in, t("web.in_month", month=month), ""),
            ("web.card.letters_out", g.letters_out, t("web.in_month", month=month), ""),
            ("web.card.overdue", g.overdue, "", "/matches"),
            ("web.card.concerns", g.open_concerns, "", "/concerns"),
            ("web.card.pending", g.pending_signups, "", "/volunteers"),
            ("web.card.doubt", g.addresses_in_doubt, "", "/addresses"),
            ("web.card.unchecked", g.addresses_unchecked, "", "/addresses"),
        ]
        if g.at_program:
            cards.append(("web.card.at_program", g.at_program, "", ""))
        shown = [(t(key, n=value), value, note, link) for key, value, note, link in cards]
        return self._page("glance.html", t("web.nav.glance"), session, "/", cards=shown)

    async def waiting(self, request: web.Request, session: WebSession) -> web.Response:
        q = request.query
        wanted = WaitingFilter(
            facility=q.get("facility", "")[:200],
            language=q.get("language", "")[:10],
            kind=q.get("kind", "")[:20],
            min_days=_int(q.get("min_days"), top=100_000),
            sort=q.get("sort", "waiting") if q.get("sort") in dict(SORTS) else "waiting",
            page=_int(q.get("page")),
        )
        rows, total, facilities = await self.services.workspace.waiting(wanted)
        today = self.services.workspace.today()
        shown = [
            {
                "penpal_id": row.penpal_id,
                "name": row.name,
                "facility": row.facility,
                "languages": t("web.cell", value=names(row.languages)),
                "kinds": t("web.cell", value=Joined(tuple(msg(f"kind.{k}") for k in row.kinds))),
                "since": row.waiting_since.isoformat(),
                "days": (today - row.waiting_since).days,
            }
            for row in rows
        ]
        query = {k: v for k, v in wanted.__dict__.items() if v and k != "page"}
        return self._page(
            "waiting.html",
            t("web.nav.waiting"),
            session,
            "/waiting",
            rows=shown,
            total=total,
            wanted=wanted,
            facilities=facilities,
            languages=[(code, t("web.cell", value=names((code,)))) for code in COMMON],
            kinds=[(k, t(f"kind.{k}")) for k in CORRESPONDENCE_KINDS],
            sorts=SORTS,
            **_pager("/waiting", query, wanted.page, total),
        )

    async def matches(self, request: web.Request, session: WebSession) -> web.Response:
        page = _int(request.query.get("page"))
        rows, total = await self.services.workspace.matches(page)
        never = t("web.never")
        cells = [
            (
                row.match_id,
                t("circle.member_of", name=row.volunteer, circle=row.circle)
                if row.circle
                else row.volunteer,
                row.penpal,
                t(f"web.match_status.{row.status}"),
                row.confirmed_on.isoformat() if row.confirmed_on else never,
                row.last_in.isoformat() if row.last_in else never,
                row.last_out.isoformat() if row.last_out else never,
                row.next_reminder.isoformat() if row.next_reminder else never,
                t("web.late_days", n=row.overdue_days) if row.overdue_days else "",
            )
            for row in rows
        ]
        columns = ("web.col.match", "web.col.volunteer", "web.col.penpal", "web.col.status",
                   "web.col.since", "web.col.last_in", "web.col.last_out",
                   "web.col.next_reminder", "web.col.overdue")  # fmt: skip
        caption = t("web.matches_caption", count=total)
        return self._table(session, "/matches", "web.nav.matches", caption, columns, cells, page,
                           total, {})  # fmt: skip

    async def volunteers(self, request: web.Request, session: WebSession) -> web.Response:
        page = _int(request.query.get("page"))
        rows, total = await self.services.workspace.volunteers(page)
        cells = []
        for row in rows:
            answered = row.replies_on_time + row.replies_late
            share = (
                t("web.on_time", percent=round(100 * row.replies_on_time / answered), n=answered)
                if answered
                else t("web.no_replies")
            )
            cells.append((row.volunteer_id, row.name, t(f"status.{row.status}"),
                          ", ".join(p.title() for p in row.platforms),
                          f"{row.matches} / {row.capacity}", share))  # fmt: skip
        columns = ("web.col.number", "web.col.name", "web.col.status", "web.col.platforms",
                   "web.col.load", "web.col.reliability")  # fmt: skip
        caption = t("web.volunteers_caption", count=total)
        pending = await self.services.workspace.pending()
        waiting = {
            "caption": t("web.pending_caption", count=len(pending)),
            "columns": ["web.col.number", "web.col.name", "web.col.languages", "web.col.room",
                        "web.col.signed_up", "web.col.do"],
            "rows": [
                (row.volunteer_id, row.name, t("web.cell", value=names(row.languages)),
                 row.capacity, row.signed_up.isoformat(),
                 self._button(session, "approve", row.volunteer_id, "button.approve")
                 + self._button(session, "reject", row.volunteer_id, "button.reject",
                                note="web.reject_reason"))
                for row in pending
            ],
        }  # fmt: skip
        return self._table(session, "/volunteers", "web.nav.volunteers", caption, columns, cells,
                           page, total, {}, before=[waiting] if pending else [])  # fmt: skip

    async def concerns(self, request: web.Request, session: WebSession) -> web.Response:
        opened, handled, names_of = await self.services.workspace.concerns()
        cells = [
            (
                c.id,
                c.created_at.date().isoformat(),
                names_of.get(c.volunteer_id or 0, ""),
                c.match_id or "",
                t(f"concern.kind.{c.kind}") if c.kind else "",
                c.details,
                t("web.concern_open")
                if c.status == "open"
                else t("web.concern_handled", note=c.note or ""),
                self._button(session, "handled", c.id, "web.mark_handled", note="web.note")
                if c.status == "open"
                else "",
            )
            for c in (*opened, *handled)
        ]
        columns = ("web.col.number", "web.col.date", "web.col.volunteer", "web.col.match",
                   "web.col.kind", "web.col.details", "web.col.status", "web.col.do")  # fmt: skip
        caption = t("web.concerns_caption", count=len(opened))
        return self._table(session, "/concerns", "web.nav.concerns", caption, columns, cells, 0,
                           len(cells), {})  # fmt: skip

    async def circles(self, request: web.Request, session: WebSession) -> web.Response:
        """Writing circles: members in turn, whom they write to and whose turn it is."""
        rows = await self.services.circles.rows(session.actor)
        cells = [
            (
                row.circle_id,
                row.name,
                t(f"circle.state.{row.status}"),
                row.lead,
                t("web.cell", value=members_cell(row)),
                Markup("<br>").join(t("web.cell", value=line) for line in _lines(row)),
                self._button(session, "circle_approve", row.circle_id, "button.approve")
                if row.status == "pending"
                else self._button(session, "circle_dissolve", row.circle_id,
                                  "button.circle_dissolve", confirm="web.circle_dissolve_sure"),
            )
            for row in rows
        ]  # fmt: skip
        columns = ("web.col.number", "web.col.name", "web.col.status", "web.col.lead",
                   "web.col.members", "web.col.writing", "web.col.do")  # fmt: skip
        caption = t("web.circles_caption", count=len(rows))
        return self._table(session, "/circles", "web.nav.circles", caption, columns, cells, 0,
                           len(cells), {})  # fmt: skip

    async def audit(self, request: web.Request, session: WebSession) -> web.Response:
        q = request.query
        wanted = AuditFilter(
            actor=q.get("actor", "")[:80],
            action=q.get("action", "")[:80],
            since=_day(q.get("since")),
            until=_day(q.get("until")),
            page=_int(q.get("page")),
        )
        rows, total = await self.services.workspace.audit(wanted)
        cells = [
            (row.at.strftime("%Y-%m-%d %H:%M"), row.actor, row.action, row.subject) for row in rows
        ]
        columns = ("web.col.when", "web.col.who", "web.col.action", "web.col.record")
        filters = [
            ("actor", "web.col.who", "text", wanted.actor),
            ("action", "web.col.action", "text", wanted.action),
            ("since", "web.since", "date", wanted.since.isoformat() if wanted.since else ""),
            ("until", "web.until", "date", wanted.until.isoformat() if wanted.until else ""),
        ]
        query = {k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in wanted.__dict__.items() if v and k != "page"}  # fmt: skip
        caption = t("web.audit_caption", count=total)
        return self._table(session, "/audit", "web.nav.audit", caption, columns, cells,
                           wanted.page, total, query, filters)  # fmt: skip

    # ----- actions ---------------------------------------------------------------------------
    async def _posted(
        self, request: web.Request
    ) -> tuple[WebSession, MultiDictProxy[Any]] | web.Response:
        """A form posted by a session with its own CSRF token (its session and fields), or
        the refusal to send back (the login hint, 403)."""
        await self._speak(request, None)
        session = await self._session(request)
        form = await request.post()
        if session is None or form.get("csrf") != session.csrf:
            return self._page("hint.html", t("web.hint_title"), None, request.path, status=403,
                              message=t("web.login_hint"))  # fmt: skip
        await self._speak(request, session)
        return session, form

    async def act(self, request: web.Request) -> web.StreamResponse:
        """A button on a page: the same service call, checks and audit rows as in the chat.
        Only for a session whose form carries its CSRF token."""
        posted = await self._posted(request)
        if isinstance(posted, web.Response):
            return posted
        session, form = posted
        action, number = request.match_info["action"], int(request.match_info["number"])
        note = str(form.get("note", ""))[:1000]
        s, who = self.services, session.actor
        calls: dict[str, tuple[str, Callable[[], Awaitable[Message]]]] = {
            "confirm": ("/proposals", lambda: s.matches.decide(number, True, who)),
            "skip": ("/proposals", lambda: s.matches.decide(number, False, who)),
            "approve": ("/volunteers", lambda: s.volunteers.decide(number, True, who)),
            "reject": ("/volunteers", lambda: s.volunteers.decide(number, False, who, note)),
            "handled": ("/concerns", lambda: s.concerns.handle(who, number, note)),
            "still_there": ("/addresses", lambda: s.addresses.still_there(who, number)),
            "circle_approve": ("/circles", lambda: s.circles.approve(who, number)),
            "circle_dissolve": ("/circles", lambda: s.circles.dissolve(who, str(number))),
        }
        if action not in calls:
            raise web.HTTPNotFound()
        if action == "circle_dissolve" and form.get("sure") != "yes":  # (the box is required)
            return _see_other("/circles")
        back, call = calls[action]
        try:
            self._flashes[session.csrf] = await call()
        except BotError as refused:
            self._flashes[session.csrf] = refused.message
        self.services.workspace.forget_figures()
        return _see_other(back)

    def _button(self, session: WebSession, action: str, number: int, label: str,
                note: str | None = None, confirm: str | None = None) -> Markup:  # fmt: skip
        """A small form posting one action (with a text field when `note` names its label, a
        box to tick first when `confirm` does)."""
        field = (
            Markup('<label>{}<input type="text" name="note" maxlength="1000"{}></label> ').format(
                t(note), Markup(" required") if action == "handled" else ""
            )
            if note
            else ""
        )
        if confirm:
            field = Markup(
                '<label><input type="checkbox" name="sure" value="yes" required> {}</label> '
            ).format(t(confirm))
        return Markup(
            '<form class="act" method="post" action="/do/{}/{}">'
            '<input type="hidden" name="csrf" value="{}">{}<button type="submit">{}</button></form>'
        ).format(action, number, session.csrf, field, t(label))

    async def proposals(self, request: web.Request, session: WebSession) -> web.Response:
        rows = await self.services.workspace.proposals()
        cells = [
            (
                row.match_id,
                row.volunteer,
                row.penpal,
                row.proposed_at.date().isoformat(),
                f"{row.score:.2f}" if row.score is not None else "",
                self._button(session, "confirm", row.match_id, "button.confirm")
                + self._button(session, "skip", row.match_id, "button.skip"),
            )
            for row in rows
        ]
        columns = ("web.col.match", "web.col.volunteer", "web.col.penpal", "web.col.proposed",
                   "web.col.score", "web.col.do")  # fmt: skip
        caption = t("web.proposals_caption", count=len(rows))
        return self._table(session, "/proposals", "web.nav.proposals", caption, columns, cells,
                           0, len(rows), {})  # fmt: skip

    async def addresses(self, request: web.Request, session: WebSession) -> web.Response:
        page = _int(request.query.get("page"))
        rows, total = await self.services.workspace.addresses(page)
        never = t("web.never")
        cells = [
            (
                row.penpal_id,
                row.name,
                row.facility,
                t("web.in_doubt_since", day=row.in_doubt_since.isoformat())
                if row.in_doubt_since
                else "",
                row.confirmed_on.isoformat() if row.confirmed_on else never,
                self._button(session, "still_there", row.penpal_id, "button.address_ok"),
            )
            for row in rows
        ]
        columns = ("web.col.number", "web.col.name", "web.col.facility", "web.col.doubt",
                   "web.col.confirmed", "web.col.do")  # fmt: skip
        caption = t("web.addresses_caption", count=total)
        return self._table(session, "/addresses", "web.nav.addresses", caption, columns, cells,
                           page, total, {})  # fmt: skip

    async def charts(self, request: web.Request, session: WebSession) -> web.Response:
        found = await self.services.workspace.charts()
        shown = []
        for chart in found:
            rows = [
                (point, *(_figure(series.values[n]) for series in chart.series))
                for n, point in enumerate(chart.points)
            ]
            shown.append(
                {
                    "name": chart.name,
                    "title": t(chart.title),
                    "columns": ["web.col.point", *(series.key for series in chart.series)],
                    "rows": rows,
                }
            )
        return self._page("charts.html", t("web.nav.charts"), session, "/charts", charts=shown)

    async def chart(self, request: web.Request, session: WebSession) -> web.Response:
        """A chart as SVG (drawn by pygal on the server: no script, nothing from elsewhere)."""
        name = request.match_info["name"]
        found = next((c for c in await self.services.workspace.charts() if c.name == name), None)
        if found is None:
            raise web.HTTPNotFound()
        drawn = pygal.Line(
            js=[],
            disable_xml_declaration=True,
            width=800,
            height=360,
            x_label_rotation=45,
            show_minor_x_labels=False,
            x_labels_major_every=max(1, len(found.points) // 8),
            legend_at_bottom=True,
            style=pygal.style.DefaultStyle(background="white", plot_background="white"),
        )
        drawn.x_labels = list(found.points)  # (its title is the page's heading above it)
        for series in found.series:
            name = str(t(series.key).striptags())
            drawn.add(name, list(series.values), secondary=series.secondary)
        response = web.Response(text=drawn.render(is_unicode=True), content_type="image/svg+xml")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'"
        )
        return response

    def _period(self, request: web.Request) -> tuple[date, date]:
        today = self.services.workspace.today()
        start = _day(request.query.get("from")) or date(today.year, 1, 1)
        end = _day(request.query.get("to")) or today
        return start, end

    async def report(self, request: web.Request, session: WebSession) -> web.Response:
        start, end = self._period(request)
        found = await self.services.workspace.report(start, end)
        query = urlencode({"from": found.start.isoformat(), "to": found.end.isoformat()})
        return self._page("report.html", t("web.nav.report"), session, "/report",
                          figures=_report_rows(found), start=found.start.isoformat(),
                          end=found.end.isoformat(), csv=f"/report.csv?{query}")  # fmt: skip

    async def report_csv(self, request: web.Request, session: WebSession) -> web.Response:
        start, end = self._period(request)
        found = await self.services.workspace.report(start, end)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(t("web.csv.figure").striptags()), str(t("web.csv.value").striptags())])
        writer.writerow([str(t("web.report.period").striptags()),
                         f"{found.start.isoformat()} – {found.end.isoformat()}"])  # fmt: skip
        for label, value in _report_rows(found):
            writer.writerow([str(label.striptags()), str(value)])
        name = f"report-{found.start.isoformat()}-{found.end.isoformat()}.csv"
        return web.Response(
            body=("\ufeff" + out.getvalue()).encode(),  # a BOM: spreadsheet apps read UTF-8
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def sheets(self, request: web.Request, session: WebSession) -> web.Response:
        return self._page("sheets.html", t("web.nav.sheets"), session, "/sheets",
                          exports=EXPORTS, imports=IMPORTS)  # fmt: skip

    async def sheet(self, request: web.Request, session: WebSession) -> web.Response:
        kind = request.path.removeprefix("/sheets/").removesuffix(".csv")
        found = await self.services.sheets.export(session.actor, kind)
        return web.Response(
            body=found.content,
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
        )

    async def sheet_import(self, request: web.Request) -> web.StreamResponse:
        """The upload form: the same import as the chat's, all rows or none."""
        posted = await self._posted(request)
        if isinstance(posted, web.Response):
            return posted
        session, form = posted
        upload = form.get("file")
        data = upload.file.read(MAX_BYTES + 1) if isinstance(upload, web.FileField) else None
        try:
            answer = await self.services.sheets.import_(
                session.actor, str(form.get("kind", "")), data or None
            )
        except BotError as refused:
            answer = refused.message
        self._flashes[session.csrf] = answer
        self.services.workspace.forget_figures()
        return _see_other("/sheets")

    def _table(
        self,
        session: WebSession,
        path: str,
        title: str,
        caption: Markup,
        columns: Iterable[str],
        cells: list[tuple[Any, ...]],
        page: int,
        total: int,
        query: dict[str, Any],
        filters: list[tuple[str, str, str, str]] | None = None,
        before: list[dict[str, Any]] | None = None,
    ) -> web.Response:
        """A page of one table (after the `before` ones), with its filters and pages."""
        tables = [*(before or []), {"caption": caption, "columns": list(columns), "rows": cells}]
        return self._page(
            "table.html",
            t(title),
            session,
            path,
            tables=tables,
            filters=filters or [],
            **_pager(path, query, page, total),
        )


def _figure(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _report_rows(found: Report) -> list[tuple[Markup, str]]:
    """The report's figures as (what, value) rows, the same on the page and in the CSV."""
    share = (
        f"{round(100 * found.replies_on_time / found.replies_answered)}%"
        if found.replies_answered
        else "–"
    )
    kept = f"{round(100 * found.retained / found.retained_of)}%" if found.retained_of else "–"
    wait = _figure(found.median_wait_days)
    return [
        (t("web.report.women"), str(found.women_served)),
        (t("web.report.volunteers"), str(found.volunteers_active)),
        (t("web.report.letters_in"), str(found.letters_in)),
        (t("web.report.letters_out"), str(found.letters_out)),
        (t("web.report.wait"), wait),
        (t("web.report.on_time", n=found.replies_answered), share),
        (t("web.report.retained", n=found.retained_of), kept),
    ]


def _see_other(location: str) -> web.Response:
    """303 See Other, with cookies set on it (an HTTPException may not be returned)."""
    return web.Response(status=303, headers={"Location": location})


def _pager(path: str, query: dict[str, Any], page: int, total: int) -> dict[str, Any]:
    pages = max(1, -(-total // PAGE))

    def link(number: int) -> str:
        return f"{path}?{urlencode({**query, 'page': number})}"

    return {"page": min(page, pages - 1), "pages": pages, "link": link}


def _lines(row: CircleRow) -> list[Message]:
    lines = writing_lines(row)
    return lines if isinstance(lines, list) else [lines]


def _static_dir() -> str:
    return str(Path(__file__).parent / "static")
