"""A small fake of Discord's REST API and gateway (what the bot uses), on 127.0.0.1.

The bot connects with the real discord.py; tests act as members with `slash`, `click`, `select`
and `submit_modal`, and read interaction responses, DMs and channel messages. JSON answers use
the exact content type `application/json` (discord.py does not parse it with a charset).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 810000000000000001
BOT_USER = {"id": str(APP_ID), "username": "penpal-bot", "discriminator": "0", "avatar": None,
            "global_name": "Pen pal bot", "bot": True}  # fmt: skip
EPHEMERAL = 64


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class Member:
    """A guild member the test plays."""

    id: int
    name: str
    roles: tuple[int, ...] = ()
    locale: str = "en-US"  # her Discord client's language

    def user(self) -> dict[str, Any]:
        return {"id": str(self.id), "username": self.name, "discriminator": "0", "avatar": None,
                "global_name": self.name}  # fmt: skip

    def member(self) -> dict[str, Any]:
        return {"user": self.user(), "roles": [str(r) for r in self.roles], "flags": 0,
                "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                "permissions": "0"}  # fmt: skip


@dataclass
class Posted:
    """A message the bot posted: in a channel, a DM, or as an interaction response."""

    id: int
    channel_id: int
    content: str
    components: list[dict[str, Any]]
    flags: int
    allowed_mentions: dict[str, Any] | None
    where: str  # "channel" | "dm" | "interaction" | "followup"
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Every custom_id of the components, flattened."""
        found: list[str] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(item["custom_id"])
                walk(item.get("components", []))
                if "component" in item:
                    walk([item["component"]])

        walk(self.components)
        return found

    def component(self, custom_id_part: str) -> dict[str, Any]:
        """The first component whose custom_id contains `custom_id_part`."""

        def walk(items: list[dict[str, Any]]) -> dict[str, Any] | None:
            for item in items:
                if custom_id_part in item.get("custom_id", ""):
                    return item
                inner = walk(item.get("components", []))
                if inner:
                    return inner
            return None

        found = walk(self.components)
        if found is None:
            raise AssertionError(f"no component {custom_id_part!r} in {self.custom_ids()}")
        return found


@dataclass
class Response:
    """How the bot answered an interaction callback."""

    type: int
    data: dict[str, Any]
    message: Posted | None


@dataclass
class FakeDiscord:
    """The fake server. `await start()`, connect the bot, act, `await stop()`."""

    token: str = "fake-discord-token"
    guild_id: int = 820000000000000001
    channel_id: int = 830000000000000001  # a public channel where members use commands
    coordinator_channel_id: int = 830000000000000002
    coordinator_role_id: int = 840000000000000001
    reminders_channel_id: int = 830000000000000003
    host: str = "127.0.0.1"
    port: int = 0
    commands: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    posted: list[Posted] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    closed_dms: set[int] = field(default_factory=set)  # members who do not accept DMs
    _files: dict[int, bytes] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    """The server's members as last seen acting (a test may change one's roles here)."""
    failing_posts: list[int] = field(default_factory=list)  # next message posts: these statuses
    rate_limited_posts: list[float] = field(default_factory=list)  # next posts: 429, retry after
    refuse_connections: int = 0  # the next gateway connections fail (an outage)
    threads: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Private threads the bot made (a writing circle's place), with `members`: who was added."""
    may_make_threads: bool = True  # False: the bot lacks the right (403 Missing Permissions)

    def __post_init__(self) -> None:
        self._ids = itertools.count(900000000000000001)
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._identified = asyncio.Event()
        self._changed = asyncio.Condition()
        self._responses: dict[int, Response] = {}
        self._interactions: dict[str, int] = {}  # token -> interaction id
        self._interaction_messages: dict[int, Posted] = {}  # interaction id -> component message
        self._messages: dict[int, Posted] = {}
        self._dm_channels: dict[int, int] = {}  # channel id -> user id
        self._invoked_by: dict[int, int] = {}  # interaction id -> member id
        self.answered: dict[int, int] = {}  # posted id -> the member an interaction answer went to
        self._runner: web.AppRunner | None = None
        self.identifies = 0
        self.resumes = 0
        self.refused_connections = 0
        self.request_times: list[float] = []  # time.monotonic() of each REST request
        self.rate_limited: list[int] = []  # indexes in `requests` answered 429
        self._history: list[tuple[int, str, dict[str, Any]]] = []  # events, for RESUME

    # ----- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway_ws)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    def config(self) -> Any:
        """A DiscordConfig pointing at this fake (imported lazily: the fake has no bot imports)."""
        from bot.app.config import DiscordConfig

        return DiscordConfig(
            api_base_url=self.api_base_url,
            gateway_url=self.gateway_url,
            guild_ids=(self.guild_id,),
            coordinator_role_ids=(self.coordinator_role_id,),
            coordinator_channel_id=self.coordinator_channel_id,
            reminders_channel_id=self.reminders_channel_id,
        )

    # ----- the gateway -----------------------------------------------------------------------
    async def _gateway_ws(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_connections > 0:
            self.refuse_connections -= 1
            self.refused_connections += 1
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for frame in ws:
                if frame.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                op = payload.get("op")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    await self._ready(ws)
                elif op == 6:  # RESUME: replay what the session missed, then RESUMED
                    seen = int(payload["d"]["seq"] or 0)
                    for seq, name, data in self._history:
                        if seq > seen:
                            await ws.send_str(json.dumps({"op": 0, "t": name, "s": seq, "d": data}))
                    self.resumes += 1
                    await self._send_event(ws, "RESUMED", {})
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        self.identifies += 1
        await self._send_event(ws, "READY", {
            "v": 10, "user": BOT_USER, "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": f"session-{self.identifies}", "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0}, "private_channels": [],
        })  # fmt: skip
        await self._send_event(ws, "GUILD_CREATE", self.guild())
        self._identified.set()

    def guild(self) -> dict[str, Any]:
        def channel(cid: int, name: str, position: int) -> dict[str, Any]:
            return {"id": str(cid), "type": 0, "name": name, "position": position,
                    "guild_id": str(self.guild_id), "permission_overwrites": [], "nsfw": False,
                    "parent_id": None, "topic": None}  # fmt: skip

        def role(rid: int, name: str, position: int) -> dict[str, Any]:
            return {"id": str(rid), "name": name, "color": 0, "hoist": False, "position": position,
                    "permissions": "0", "managed": False, "mentionable": False, "flags": 0}  # fmt: skip

        return {
            "id": str(self.guild_id), "name": "Letters Inside volunteers", "unavailable": False,
            "owner_id": "1", "member_count": 3, "large": False, "features": [], "emojis": [],
            "stickers": [], "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
            "preferred_locale": "en-US", "system_channel_flags": 0, "icon": None,
            "roles": [role(self.guild_id, "@everyone", 0),
                      role(self.coordinator_role_id, "Coordinators", 1)],
            "channels": [channel(self.channel_id, "general", 0),
                         channel(self.coordinator_channel_id, "coordinators", 1),
                         channel(self.reminders_channel_id, "reminders", 2)],
            "members": [], "voice_states": [], "presences": [], "threads": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        }  # fmt: skip

    async def _send_event(self, ws: web.WebSocketResponse, name: str, data: dict[str, Any]) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": name, "s": self._seq, "d": data}))

    async def wait_identified(self, timeout: float = 5.0) -> None:
        await asyncio.wait_for(self._identified.wait(), timeout)

    async def drop_connections(self) -> None:
        """Close every gateway socket with 4000 ("unknown error, reconnect"): the bot should
        reconnect and RESUME; events meanwhile wait for the resume."""
        for ws in list(self._sockets):
            await ws.close(code=4000, message=b"unknown error")

    async def _dispatch(self, name: str, data: dict[str, Any]) -> None:
        """An event for the bot's session: sent now, or replayed when it resumes."""
        if not self._identified.is_set():
            raise AssertionError("the bot is not connected to the fake gateway")
        self._seq += 1
        self._history.append((self._seq, name, data))
        for ws in list(self._sockets):
            with contextlib.suppress(ConnectionError):
                await ws.send_str(json.dumps({"op": 0, "t": name, "s": self._seq, "d": data}))

    # ----- acting as members -----------------------------------------------------------------
    async def _dispatch_interaction(self, member: Member, kind: int, data: dict[str, Any],
                                    message: Posted | None = None, in_dm: bool = False) -> int:  # fmt: skip
        interaction_id = next(self._ids)
        self.members[member.id] = member  # as the server knows her now
        token = f"itoken-{interaction_id}"
        self._interactions[token] = interaction_id
        self._invoked_by[interaction_id] = member.id
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(APP_ID), "type": kind,
            "token": token, "version": 1, "data": data, "locale": member.locale,
            "attachment_size_limit": 8388608, "app_permissions": "0", "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)}, "context": 0,
        }  # fmt: skip
        if in_dm:
            payload["user"] = member.user()
            payload["channel"] = {"id": str(next(self._ids)), "type": 1}
            payload["channel_id"] = payload["channel"]["id"]
            payload["context"] = 1
        else:
            payload["guild_id"] = str(self.guild_id)
            payload["guild_locale"] = "en-US"
            payload["member"] = member.member()
            payload["channel"] = {
                "id": str(self.channel_id),
                "type": 0,
                "guild_id": str(self.guild_id),
            }
            payload["channel_id"] = str(self.channel_id)
        if message is not None:
            payload["message"] = self._message_json(message)
            self._interaction_messages[interaction_id] = message
        await self._dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    def attach(self, filename: str, content: bytes) -> dict[str, Any]:
        """A file a member attaches to a command: its option value is the id this returns in
        `id`; pass the whole dict as `attachments` to `slash` (Discord resolves it)."""
        attachment_id = next(self._ids)
        self._files[attachment_id] = content
        return {"id": str(attachment_id), "filename": filename, "size": len(content),
                "url": f"http://{self.host}:{self.port}/attachments/{attachment_id}/{filename}",
                "proxy_url": f"http://{self.host}:{self.port}/attachments/{attachment_id}/{filename}",
                "content_type": "text/csv; charset=utf-8"}  # fmt: skip

    async def _attachment(self, request: web.Request) -> web.Response:
        content = self._files.get(int(request.match_info["id"]))
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="text/csv")

    async def slash(self, member: Member, name: str, options: list[dict[str, Any]] | None = None,
                    in_dm: bool = False, timeout: float = 5.0,
                    attachments: list[dict[str, Any]] | None = None) -> Response:  # fmt: skip
        """The member runs a slash command; return the bot's response."""
        registered = {c["name"]: c for c in self.commands.get(self.guild_id, [])}
        if name not in registered:
            raise AssertionError(f"/{name} was not registered (have {sorted(registered)})")
        data = {"id": registered[name]["id"], "name": name, "type": 1, "options": options or [],
                "guild_id": str(self.guild_id)}  # fmt: skip
        if attachments:
            data["resolved"] = {"attachments": {a["id"]: a for a in attachments}}
        interaction = await self._dispatch_interaction(member, 2, data, in_dm=in_dm)
        return await self.response(interaction, timeout)

    async def autocomplete(self, member: Member, name: str, options: list[dict[str, Any]]
                           ) -> list[dict[str, Any]]:  # fmt: skip
        """The member types into an option marked `"focused": True`; return the choices the
        bot offers."""
        registered = {c["name"]: c for c in self.commands.get(self.guild_id, [])}
        data = {"id": registered[name]["id"], "name": name, "type": 1, "options": options,
                "guild_id": str(self.guild_id)}  # fmt: skip
        answer = await self.response(await self._dispatch_interaction(member, 4, data))
        assert answer.type == 8, f"expected autocomplete choices, got response type {answer.type}"
        return list(answer.data.get("choices", []))

    async def click(self, member: Member, message: Posted, custom_id: str) -> Response:
        """The member presses a button (any custom_id, even a forged one)."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.response(await self._dispatch_interaction(member, 3, data, message))

    async def select(self, member: Member, message: Posted, custom_id: str,
                     values: list[str]) -> Response:  # fmt: skip
        """The member picks `values` in a select menu."""
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
        return await self.response(await self._dispatch_interaction(member, 3, data, message))

    async def submit_modal(
        self, member: Member, modal: Response, values: dict[str, str],
        message: Posted | None = None,
    ) -> Response:  # fmt: skip
        """The member fills in the modal the bot opened and submits it (`message`: the one
        whose button opened it, which Discord sends along)."""
        assert modal.type == 9, f"expected a modal, got response type {modal.type}"
        inputs: list[dict[str, Any]] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for item in items:
                if item.get("type") == 4:
                    inputs.append({"type": 4, "custom_id": item["custom_id"],
                                   "value": values.get(item["custom_id"], item.get("value") or "")})  # fmt: skip
                elif item.get("type") == 3:  # a menu in a labelled row: the value picked
                    picked = values.get(item["custom_id"])
                    offered = [o["value"] for o in item.get("options", [])]
                    assert picked is None or picked in offered, f"{picked!r} is not offered"
                    inputs.append({"type": 3, "custom_id": item["custom_id"],
                                   "values": [picked] if picked is not None else []})  # fmt: skip
                walk(item.get("components", []))
                if "component" in item:
                    walk([item["component"]])

        walk(modal.data["components"])
        data = {"custom_id": modal.data["custom_id"],
                "components": [{"type": 18, "component": i} if i["type"] == 3
                               else {"type": 1, "components": [i]} for i in inputs]}  # fmt: skip
        return await self.response(await self._dispatch_interaction(member, 5, data, message))

    async def response(self, interaction_id: int, timeout: float = 5.0) -> Response:
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: interaction_id in self._responses), timeout
                )
            except TimeoutError:
                raise AssertionError(
                    f"the bot did not answer interaction {interaction_id}"
                ) from None
        return self._responses[interaction_id]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds (checked whenever the bot calls the API)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def next_posted(self, where: str, channel_id: int | None = None, user_id: int | None = None,
                          after: int = 0, timeout: float = 5.0) -> Posted:  # fmt: skip
        """The first message posted in a channel or a member's DMs after index `after`."""

        def find() -> Posted | None:
            for posted in self.posted[after:]:
                if posted.where != where:
                    continue
                if channel_id is not None and posted.channel_id != channel_id:
                    continue
                if user_id is not None and self._dm_channels.get(posted.channel_id) != user_id:
                    continue
                return posted
            return None

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: find() is not None), timeout)
            except TimeoutError:
                raise AssertionError(f"nothing posted ({where}, {channel_id}, {user_id})") from None
        found = find()
        assert found is not None
        return found

    async def wait_for_posted(
        self, predicate: Callable[[Posted], bool], after: int = 0, timeout: float = 5.0
    ) -> Posted:
        """The first message posted after index `after` for which `predicate` holds."""

        def find() -> Posted | None:
            return next((p for p in self.posted[after:] if predicate(p)), None)

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: find() is not None), timeout)
            except TimeoutError:
                raise AssertionError("nothing like that was posted") from None
        found = find()
        assert found is not None
        return found

    def visible_to(self, member_id: int) -> list[Posted]:
        """What a member can see, oldest first: her DMs, the answers to her own interactions,
        and the channels' messages."""
        return [
            p
            for p in self.posted
            if p.where == "channel"
            or (p.where == "dm" and self._dm_channels.get(p.channel_id) == member_id)
            or self.answered.get(p.id) == member_id
        ]

    # ----- REST ------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        self.requests.append((request.method, path))
        self.request_times.append(time.monotonic())
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        body = await self._body(request)
        parts = path.strip("/").split("/")
        method = request.method
        try:
            result = await self._route(method, parts, body)
        finally:
            async with self._changed:
                self._changed.notify_all()
        if result is None:
            return web.Response(status=204)
        if isinstance(result, web.Response):
            return result
        return _json(result)

    async def _route(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        if method == "GET" and parts == ["users", "@me"]:
            return BOT_USER
        if method == "GET" and parts == ["oauth2", "applications", "@me"]:
            return {"id": str(APP_ID), "name": "Pen pal bot", "description": "", "icon": None,
                    "bot_public": False, "bot_require_code_grant": False, "verify_key": "x",
                    "owner": {**BOT_USER, "bot": False}, "flags": 0}  # fmt: skip
        if method == "GET" and parts[:1] == ["gateway"]:
            return {"url": self.gateway_url, "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                            "max_concurrency": 1}}  # fmt: skip
        if (
            method == "PUT"
            and len(parts) == 5
            and parts[0] == "applications"
            and parts[2] == "guilds"
        ):
            saved = [{**c, "id": str(next(self._ids)), "application_id": str(APP_ID),
                      "guild_id": parts[3], "version": "1", "default_member_permissions": None,
                      "type": c.get("type", 1)} for c in body]  # fmt: skip
            self.commands[int(parts[3])] = saved
            return saved
        if method == "PUT" and len(parts) == 3 and parts[0] == "applications":
            return [{**c, "id": str(next(self._ids)), "application_id": str(APP_ID), "version": "1"}
                    for c in body]  # fmt: skip
        if method == "GET" and len(parts) == 4 and parts[0] == "guilds" and parts[2] == "members":
            found = self.members.get(int(parts[3]))
            if found is None or int(parts[1]) != self.guild_id:
                return _json({"message": "Unknown Member", "code": 10007}, 404)
            return found.member()
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(int(parts[1]), body)
        if parts[0] == "webhooks" and len(parts) >= 3:
            return self._webhook(method, parts, body)
        if method == "POST" and parts == ["users", "@me", "channels"]:
            channel_id = next(self._ids)
            user_id = int(body["recipient_id"])
            self._dm_channels[channel_id] = user_id
            return {"id": str(channel_id), "type": 1, "last_message_id": None,
                    "recipients": [Member(user_id, f"user{user_id}").user()]}  # fmt: skip
        if (
            method == "POST"
            and len(parts) == 3
            and parts[0] == "channels"
            and parts[2] == "messages"
        ):
            channel_id = int(parts[1])
            where = "dm" if channel_id in self._dm_channels else "channel"
            if self.failing_posts:
                return _json({"message": "Internal Server Error", "code": 0},
                             self.failing_posts.pop(0))  # fmt: skip
            if self.rate_limited_posts:  # as Discord answers (through its proxy: Via)
                wait = self.rate_limited_posts.pop(0)
                self.rate_limited.append(len(self.requests) - 1)
                limited = _json({"message": "You are being rate limited.", "retry_after": wait,
                                 "global": False, "code": 0}, 429)  # fmt: skip
                limited.headers.update({"Via": "1.1 google", "Retry-After": str(wait)})
                return limited
            if where == "dm" and self._dm_channels[channel_id] in self.closed_dms:
                return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
            if where == "channel" and channel_id not in (
                self.channel_id,
                self.coordinator_channel_id,
                self.reminders_channel_id,
                *self.threads,
            ):
                return _json({"message": "Unknown Channel", "code": 10003}, 404)
            return self._message_json(self._post(channel_id, body, where))
        if (
            method == "POST"
            and len(parts) == 3
            and parts[:1] == ["channels"]
            and parts[2] == "threads"
        ):
            if not self.may_make_threads:
                return _json({"message": "Missing Permissions", "code": 50013}, 403)
            thread_id = next(self._ids)
            self.threads[thread_id] = {"name": body["name"], "parent": int(parts[1]),
                                       "type": body.get("type"), "members": []}  # fmt: skip
            return self._thread_json(thread_id)
        if method == "GET" and len(parts) == 2 and parts[0] == "channels":
            if int(parts[1]) not in self.threads:
                return _json({"message": "Unknown Channel", "code": 10003}, 404)
            return self._thread_json(int(parts[1]))
        if method in ("PUT", "DELETE") and len(parts) == 4 and parts[2] == "thread-members":
            thread = self.threads.get(int(parts[1]))
            if thread is None:
                return _json({"message": "Unknown Channel", "code": 10003}, 404)
            if method == "PUT":
                thread["members"].append(int(parts[3]))
            elif int(parts[3]) in thread["members"]:
                thread["members"].remove(int(parts[3]))
            return None
        if (
            method == "PATCH"
            and len(parts) == 4
            and parts[0] == "channels"
            and parts[2] == "messages"
        ):
            original = self._messages.get(int(parts[3]))  # the bot edits a message of its own
            if original is None or original.channel_id != int(parts[1]):
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            return self._message_json(self._edit(original, body))
        return _json({"message": f"{method} /{'/'.join(parts)} is not faked", "code": 0}, 404)

    def _thread_json(self, thread_id: int) -> dict[str, Any]:
        thread = self.threads[thread_id]
        return {"id": str(thread_id), "type": int(thread["type"] or 12), "name": thread["name"],
                "guild_id": str(self.guild_id), "parent_id": str(thread["parent"]),
                "owner_id": BOT_USER["id"], "last_message_id": None,
                "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
                "thread_metadata": {"archived": False, "auto_archive_duration": 10080,
                                    "archive_timestamp": datetime.now(UTC).isoformat(),
                                    "locked": False, "invitable": False}}  # fmt: skip

    def _callback(self, interaction_id: int, body: dict[str, Any]) -> dict[str, Any]:
        kind = int(body["type"])
        data = body.get("data") or {}
        message: Posted | None = None
        if kind == 4:
            message = self._post(self.channel_id, {**data, "_files": body.get("_files", [])},
                                 "interaction")  # fmt: skip
            self.answered[message.id] = self._invoked_by.get(interaction_id, 0)
        elif kind == 7:
            # Update, in place, the message the component was on.
            original = self._interaction_messages.get(interaction_id)
            if original is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)  # type: ignore[return-value]
            message = self._edit(original, data)
        self._responses[interaction_id] = Response(kind, data, message)
        result: dict[str, Any] = {
            "interaction": {"id": str(interaction_id), "type": 2,
                            "response_message_id": str(message.id) if message else None,
                            "response_message_loading": kind == 5,
                            "response_message_ephemeral": bool(message and message.ephemeral)},
        }  # fmt: skip
        if message is not None:
            result["resource"] = {"type": kind, "message": self._message_json(message)}
        return result

    def _webhook(self, method: str, parts: list[str], body: dict[str, Any]) -> Any:
        token = parts[2]
        if method == "POST" and len(parts) == 3:
            posted = self._post(self.channel_id, body, "followup")
            self.answered[posted.id] = self._invoked_by.get(self._interactions.get(token, 0), 0)
            return self._message_json(posted)
        if method == "PATCH" and parts[-1] == "@original":
            interaction_id = self._interactions.get(token)
            previous = self._responses.get(interaction_id) if interaction_id else None
            if previous is None or previous.message is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            posted = self._edit(previous.message, body)
            if previous is not None and interaction_id is not None:
                self._responses[interaction_id] = Response(previous.type, body, posted)
            return self._message_json(posted)
        return None

    def _post(self, channel_id: int, data: dict[str, Any], where: str) -> Posted:
        posted = Posted(next(self._ids), channel_id, data.get("content") or "",
                        data.get("components") or [], int(data.get("flags") or 0),
                        data.get("allowed_mentions"), where, data.get("_files", []))  # fmt: skip
        if len(posted.content) > 2000:
            raise web.HTTPBadRequest(text="content longer than 2000")
        self.posted.append(posted)
        self._messages[posted.id] = posted
        return posted

    def _edit(self, original: Posted, data: dict[str, Any]) -> Posted:
        edited = Posted(original.id, original.channel_id, data.get("content", original.content) or "",
                        data.get("components", original.components) or [], original.flags,
                        data.get("allowed_mentions", original.allowed_mentions), original.where)  # fmt: skip
        self.posted.append(edited)
        self._messages[edited.id] = edited
        return edited

    def _message_json(self, posted: Posted) -> dict[str, Any]:
        return {"id": str(posted.id), "channel_id": str(posted.channel_id), "type": 0,
                "content": posted.content, "author": BOT_USER, "components": posted.components,
                "embeds": [], "attachments": [], "mentions": [], "mention_roles": [],
                "mention_everyone": False, "pinned": False, "tts": False,
                "flags": posted.flags, "timestamp": datetime.now(UTC).isoformat()}  # fmt: skip

    @staticmethod
    async def _body(request: web.Request) -> Any:
        if not request.can_read_body:
            return {}
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            body = json.loads(raw) if isinstance(raw, str) else {}
            body["_files"] = [(value.filename, value.file.read()) for key, value in form.items()
                              if key.startswith("files[") and isinstance(value, web.FileField)]  # fmt: skip
            return body
        text = await request.text()
        return json.loads(text) if text else {}
