"""The aiohttp transport for python-telegram-bot maps failures to PTB's own errors."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from conversations._aiohttp_request import AiohttpRequest


@pytest.fixture
async def stalled_server() -> AsyncIterator[tuple[str, asyncio.Event]]:
    release = asyncio.Event()
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(dict(await request.post()))  # type: ignore[arg-type]
        if request.path.endswith("/slow"):
            await release.wait()
        return web.json_response({"ok": True, "result": seen[-1]})

    app = web.Application()
    app.router.add_post("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", release
    finally:
        release.set()
        await runner.cleanup()


async def test_form_parameters_are_sent_and_the_body_returned(
    stalled_server: tuple[str, asyncio.Event],
) -> None:
    base, _ = stalled_server
    request = AiohttpRequest()
    await request.initialize()
    try:
        data = RequestData(
            [RequestParameter("chat_id", 5, None), RequestParameter("text", "hé <b>", None)]
        )
        status, body = await request.do_request(f"{base}/fast", "POST", data)
    finally:
        await request.shutdown()
    assert status == 200
    assert b'"chat_id": "5"' in body and b'"text": "h\\u00e9 <b>"' in body


async def test_a_stalled_answer_is_timed_out(stalled_server: tuple[str, asyncio.Event]) -> None:
    base, _ = stalled_server
    request = AiohttpRequest(read_timeout=0.05)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/slow", "POST", None)
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        request = AiohttpRequest()
        await request.initialize()
        try:
            with pytest.raises(NetworkError, match="aiohttp"):
                await request.do_request(f"http://127.0.0.1:{port}/x", "POST", None)
        finally:
            await request.shutdown()
