"""A small fake of the Telegram Bot API (the methods the bot uses), with long polling.

Requests arrive as `POST {root}/bot{token}/{method}` (form-encoded; non-string values JSON).
Tests act as users with `user_says` and `user_presses`, then read what the bot sent with
`next_message`. HTML sent with parse_mode=HTML is checked the way Telegram checks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
                "tg-spoiler", "span", "blockquote"}  # fmt: skip
TEXT_FIELDS = {"text", "callback_query_id", "parse_mode", "caption", "url", "description"}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    """Answered as {"ok": false} with a status code, like Telegram does."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class Sent:
    """Something the bot did in a chat: a new message or an edit."""

    kind: str  # "send" | "edit_text" | "edit_markup" | "document"
    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    document: tuple[str, bytes] | None = None  # (file name, content) of a sendDocument

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]

    def button(self, text_part: str) -> dict[str, Any]:
        """The first button whose label contains `text_part`."""
        for b in self.buttons:
            if text_part in b["text"]:
                return b
        raise AssertionError(f"no button with {text_part!r} in {[b['text'] for b in self.buttons]}")


@dataclass
class FakeUser:
    """A Telegram user the test plays."""

    id: int
    first_name: str
    username: str = ""
    language_code: str = "en"  # her app's language (IETF tag); "" for none, as Telegram may

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


def check_html(text: str) -> None:
    """Raise ApiError like Telegram's "can't parse entities" for invalid HTML."""
    stack: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        _check_plain(text[position : match.start()])
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in ALLOWED_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported tag {tag!r}")
        if closing:
            if not stack or stack.pop() != tag:
                raise ApiError(400, f"Bad Request: can't parse entities: unexpected end tag {tag}")
        else:
            stack.append(tag)
        position = match.end()
    _check_plain(text[position:])
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {stack[-1]}")


def _check_plain(segment: str) -> None:
    if "<" in segment or ">" in segment:
        raise ApiError(400, "Bad Request: can't parse entities: unescaped '<' or '>'")
    for index, char in enumerate(segment):
        if char == "&" and not _ENTITY.match(segment, index):
            raise ApiError(400, "Bad Request: can't parse entities: unescaped '&'")


def html_to_text(text: str) -> str:
    """What a person sees: tags removed and entities decoded."""
    import html

    return html.unescape(_TAG.sub("", text))


@dataclass
class FakeTelegram:
    """The fake Bot API server. `await start()`, use, `await stop()`."""

    token: str = "123456:TEST-fake-token"
    host: str = "127.0.0.1"
    port: int = 0
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_next: list[tuple[str, int, str]] = field(default_factory=list)
    flood: list[int] = field(default_factory=list)  # next sendMessage calls: 429, retry after N
    flood_chats: dict[int, int] = field(default_factory=dict)  # first send there: 429, retry N
    blocked: set[int] = field(default_factory=set)  # chats that blocked the bot
    refused: list[tuple[str, int]] = field(default_factory=list)  # (method, status) answered
    refused_calls: list[tuple[int, int]] = field(default_factory=list)  # (index in calls, status)
    call_times: list[float] = field(default_factory=list)  # time.monotonic() of each call
    limits: bool = False  # answer 429 like Telegram when its flood limits are broken
    # The next sendMessage calls to a chat fail with these statuses; 0 = no answer for
    # `stall_seconds` (longer than the bot waits), then 504, and nothing delivered.
    outage: dict[int, list[int]] = field(default_factory=dict)
    stall_seconds: float = 3.0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._queues: dict[int, asyncio.Queue[Sent]] = {}
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.messages: dict[tuple[int, int], Sent] = {}
        self.files: dict[str, bytes] = {}  # documents users sent, by file_id
        self._windows: dict[int, deque[float]] = {}  # send times: 0 = overall, else per chat

    # ----- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The `api_base_url` to give the bot (up to and including /bot)."""
        return f"http://{self.host}:{self.port}/bot"

    # ----- acting as users -------------------------------------------------------------------
    async def user_says(
        self, user: FakeUser, text: str, chat_id: int | None = None, chat_type: str = "private"
    ) -> int:
        """The user sends a text message (a leading /command gets a bot_command entity)."""
        chat = {"id": chat_id or user.id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = user.first_name
        else:
            chat["title"] = "A group"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_json(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self.push_update({"message": message})

    async def user_sends_document(
        self, user: FakeUser, filename: str, content: bytes, caption: str = "",
        reply_to: Sent | None = None,
    ) -> int:  # fmt: skip
        """The user sends a file in her private chat (a caption starting with /command gets
        its entity, as Telegram does)."""
        file_id = f"doc-{next(self._ids)}"
        self.files[file_id] = content
        fields: dict[str, Any] = {
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": filename,
                         "mime_type": "text/csv", "file_size": len(content)},
        }  # fmt: skip
        if caption:
            fields["caption"] = caption
            if caption.startswith("/"):
                command = caption.split()[0]
                fields["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command)}
                ]
        if reply_to is not None:
            fields["reply_to_message"] = self._message_json(reply_to)
        return await self.push_update(self.message_from(user, **fields))

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id,
                "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}.csv"}  # fmt: skip

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].removeprefix("documents/").removesuffix(".csv")
        content = self.files.get(file_id)
        return web.Response(body=content) if content is not None else web.Response(status=404)

    async def user_presses(self, user: FakeUser, sent: Sent, data: str) -> str:
        """The user presses an inline button with `data` under a message the bot sent."""
        query_id = str(next(self._ids))
        await self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_json(),
                    "chat_instance": str(sent.chat_id),
                    "data": data,
                    "message": self._message_json(sent),
                }
            }
        )
        return query_id

    async def push_update(self, payload: dict[str, Any], update_id: int | None = None) -> int:
        """Queue a raw update (a given update_id lets tests deliver the same update twice)."""
        if update_id is None:
            update_id = next(self._ids)
        async with self._changed:
            self.updates.append({"update_id": update_id, **payload})
            self._changed.notify_all()
        return update_id

    async def push_copies(self, payload: dict[str, Any], times: int) -> int:
        """The same update (one update_id) queued `times` times at once, as a flaky network or
        a retried webhook can deliver it; the bot gets the copies in one batch."""
        update_id = next(self._ids)
        async with self._changed:
            self.updates.extend({"update_id": update_id, **payload} for _ in range(times))
            self._changed.notify_all()
        return update_id

    def message_from(self, user: FakeUser, **fields: Any) -> dict[str, Any]:
        """A private message from `user` with any fields (text, sticker, photo, voice...)."""
        return {"message": {"message_id": next(self._message_ids), "date": int(time.time()),
                            "chat": {"id": user.id, "type": "private",
                                     "first_name": user.first_name},
                            "from": user.as_json(), **fields}}  # fmt: skip

    # ----- reading what the bot did -----------------------------------------------------------
    def _queue(self, chat_id: int) -> asyncio.Queue[Sent]:
        return self._queues.setdefault(chat_id, asyncio.Queue())

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> Sent:
        """The next message the bot sent (or edited) in this chat; fails after `timeout`."""
        try:
            return await asyncio.wait_for(self._queue(chat_id).get(), timeout)
        except TimeoutError:
            raise AssertionError(f"the bot sent nothing to chat {chat_id} in {timeout}s") from None

    async def next_sent(self, chat_id: int, timeout: float = 5.0) -> Sent:
        """Like `next_message`, skipping edits."""
        while True:
            sent = await self.next_message(chat_id, timeout)
            if sent.kind == "send":
                return sent

    def pending(self, chat_id: int) -> list[Sent]:
        """Messages to this chat not read yet (without waiting)."""
        queue = self._queue(chat_id)
        found = []
        while not queue.empty():
            found.append(queue.get_nowait())
        return found

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds (checked whenever the bot calls the API)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for_call(self, method: str, timeout: float = 5.0) -> dict[str, Any]:
        """Wait until the bot has called `method` at least once; return the last params."""

        def found() -> dict[str, Any] | None:
            for name, params in reversed(self.calls):
                if name == method:
                    return params
            return None

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result

    async def callback_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """How the bot answered a button press (answerCallbackQuery params)."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: query_id in self.callback_answers), timeout
            )
        return self.callback_answers[query_id]

    # ----- the API ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        async with self._changed:
            index = len(self.calls)
            self.calls.append((method, params))
            self.call_times.append(time.monotonic())
            self._changed.notify_all()
        try:
            if method == "sendMessage" and self.limits:
                self._check_limits(int(params.get("chat_id", 0)))
            if method == "sendMessage" and self.flood:
                raise ApiError(429, "Too Many Requests: retry later", self.flood.pop(0))
            flood_chat = self.flood_chats.pop(int(params.get("chat_id", 0) or 0), None)
            if method == "sendMessage" and flood_chat is not None:
                raise ApiError(429, f"Too Many Requests: retry after {flood_chat}", flood_chat)
            failing = self.outage.get(int(params.get("chat_id", 0) or 0))
            if method == "sendMessage" and failing:
                status = failing.pop(0)
                if status == 0:
                    await asyncio.sleep(self.stall_seconds)
                    raise ApiError(504, "Gateway Timeout")
                raise ApiError(status, "Internal Server Error")
            if method == "sendMessage" and int(params.get("chat_id", 0)) in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            for index, (name, status, description) in enumerate(self.fail_next):
                if name == method:
                    del self.fail_next[index]
                    raise ApiError(status, description)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(400, f"Bad Request: method {method} is not implemented by the fake")
            result = await handler(params)
        except ApiError as exc:
            self.refused.append((method, exc.status))
            self.refused_calls.append((index, exc.status))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.status,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.status)
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _check_limits(self, chat_id: int) -> None:
        """30 messages a second overall, 1 a second per chat, 20 a minute per group: a message
        that would break one is refused with 429 and retry_after, and not counted."""
        now = time.monotonic()
        overall = self._windows.setdefault(0, deque())
        chat = self._windows.setdefault(chat_id, deque())
        while overall and overall[0] <= now - 1.0:
            overall.popleft()
        span = 60.0 if chat_id < 0 else 1.0
        while chat and chat[0] <= now - span:
            chat.popleft()
        if len(overall) >= 30 or len(chat) >= (20 if chat_id < 0 else 1):
            raise ApiError(429, "Too Many Requests: retry after 1", 1)
        overall.append(now)
        chat.append(now)

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data: dict[str, Any] = await request.json()
            return data
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
                continue
            text = value if isinstance(value, str) else ""
            if key in TEXT_FIELDS:
                params[key] = text
                continue
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Pen pal bot", "username": "penpal_test_bot",
                "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}  # fmt: skip

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands = params["commands"]
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)

        def ready() -> list[dict[str, Any]]:
            return [u for u in self.updates if u["update_id"] >= offset]

        async with self._changed:
            if timeout > 0 and not ready() and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(ready()) or self._closing), timeout
                    )
            found = ready()
            # Telegram forgets updates below the offset once they are confirmed.
            self.updates = found
        return found[: int(params.get("limit", 100) or 100)]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        sent = Sent("send", chat_id, next(self._message_ids), text, params.get("parse_mode"),
                    params.get("reply_markup"))  # fmt: skip
        self.messages[(chat_id, sent.message_id)] = sent
        await self._queue(chat_id).put(sent)
        return self._message_json(sent)

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        document = params.get("document")
        if not isinstance(document, tuple):
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = str(params.get("caption", ""))
        self._check_text(caption, params.get("parse_mode"))
        sent = Sent("document", chat_id, next(self._message_ids), caption,
                    params.get("parse_mode"), params.get("reply_markup"), document)  # fmt: skip
        self.messages[(chat_id, sent.message_id)] = sent
        await self._queue(chat_id).put(sent)
        return self._message_json(sent)

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        old = self._find(params)
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        sent = Sent("edit_text", old.chat_id, old.message_id, text, params.get("parse_mode"),
                    params.get("reply_markup"))  # fmt: skip
        self.messages[(old.chat_id, old.message_id)] = sent
        await self._queue(old.chat_id).put(sent)
        return self._message_json(sent)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        old = self._find(params)
        sent = Sent("edit_markup", old.chat_id, old.message_id, old.text, old.parse_mode,
                    params.get("reply_markup"))  # fmt: skip
        self.messages[(old.chat_id, old.message_id)] = sent
        await self._queue(old.chat_id).put(sent)
        return self._message_json(sent)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers[str(params["callback_query_id"])] = params
        return True

    def _find(self, params: dict[str, Any]) -> Sent:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    @staticmethod
    def _check_text(text: str, parse_mode: str | None) -> None:
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if parse_mode == "HTML":
            check_html(text)
            text = html_to_text(text)
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")

    def _message_json(self, sent: Sent) -> dict[str, Any]:
        chat_type = "private" if sent.chat_id > 0 else "group"
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": chat_type},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Pen pal bot"},
            "text": html_to_text(sent.text) if sent.parse_mode == "HTML" else sent.text,
        }
        if sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        if sent.document is not None:
            data["caption"] = data.pop("text")
            data["document"] = {"file_id": f"doc{sent.message_id}",
                                "file_unique_id": f"u{sent.message_id}",
                                "file_name": sent.document[0]}  # fmt: skip
        return data
