"""Serving an aiohttp application on `host:port` (port 0: one the system chooses): the health
page and the coordinators' workspace. No access log (a login link must never be logged)."""

from __future__ import annotations

from aiohttp import web


class LocalSite:
    """One aiohttp application listening on one address."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None

    async def start(self, app: web.Application, listen: str) -> tuple[str, int]:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        host, _, port = listen.rpartition(":")
        await web.TCPSite(self._runner, host or "127.0.0.1", int(port)).start()
        address = self.address
        assert address is not None
        return address

    @property
    def address(self) -> tuple[str, int] | None:
        """Where it listens (the port chosen when `listen` asked for port 0)."""
        if self._runner is None or not self._runner.addresses:
            return None
        host, port = self._runner.addresses[0][:2]
        return str(host), int(port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
