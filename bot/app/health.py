"""A running bot's health: which of its loops are alive, systemd's readiness and watchdog
messages, and an optional local web page with `/healthz` (JSON) and `/metrics` (Prometheus)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.app.config import Config
from bot.app.serving import LocalSite
from bot.app.status import as_json, assess
from bot.services import Services

log = logging.getLogger(__name__)


@dataclass
class Liveness:
    """When each loop last completed (monotonic seconds), and how often it should. A loop is
    alive while it completed within twice its interval and a minute (or since the start)."""

    every: Mapping[str, float]
    now: Callable[[], float] = time.monotonic
    last: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def done(self, loop: str) -> None:
        self.last[loop] = self.now()

    def alive(self) -> dict[str, bool]:
        now = self.now()
        return {
            loop: now - self.last.get(loop, self.started) <= 2 * every + 60
            for loop, every in self.every.items()
        }


def notify(message: str, env: Mapping[str, str] = os.environ) -> bool:
    """Tell systemd (`Type=notify`) something, e.g. READY=1 or WATCHDOG=1; False when the bot
    does not run under a unit that listens (no NOTIFY_SOCKET)."""
    address = env.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        sock.connect(address)
        sock.sendall(message.encode())
    return True


def watchdog_interval(env: Mapping[str, str] = os.environ) -> float | None:
    """Seconds between two watchdog pings: half of the unit's `WatchdogSec=`, None if unset."""
    usec = env.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or env.get("WATCHDOG_PID", str(os.getpid())) != str(os.getpid()):
        return None
    return int(usec) / 2_000_000


def ping_watchdog(liveness: Liveness, env: Mapping[str, str] = os.environ) -> bool:
    """A watchdog ping only while every loop is alive: a bot whose sweep or dispatch stalled
    stops pinging and systemd restarts it."""
    alive = liveness.alive()
    if not all(alive.values()):
        log.warning("not pinging the watchdog: loops not alive: %s", alive)
        return False
    return notify("WATCHDOG=1", env)


class Numbers(Collector):
    """The counts the services keep since the process started, as Prometheus metrics."""

    def __init__(self, services: Services, sweeps: Callable[[], int]) -> None:
        self.services = services
        self.sweeps = sweeps

    def collect(self) -> Iterator[Metric]:
        counts = self.services.outbox.counts
        for name, counter, about in (
            ("penpal_messages_sent", counts.sent, "Messages the bot sent on its own"),
            ("penpal_messages_failed", counts.failed, "Sending attempts that failed"),
            ("penpal_rate_limited", counts.rate_limited, "Answers 429 (wait) from a platform"),
        ):
            family = CounterMetricFamily(name, about, labels=["platform"])
            for platform in ("telegram", "discord"):
                family.add_metric([platform], counter[platform])
            yield family
        yield CounterMetricFamily(
            "penpal_updates", "Updates and interactions handled", value=self.services.flood.seen
        )
        yield CounterMetricFamily(
            "penpal_reminder_sweeps", "Reminder sweeps completed", value=self.sweeps()
        )
        runs = self.services.matches.runs
        yield CounterMetricFamily("penpal_matching_runs", "Matching runs done", value=runs.done)
        yield CounterMetricFamily(
            "penpal_matching_failures", "Matching runs that failed", value=runs.failed
        )
        yield CounterMetricFamily(
            "penpal_matching_seconds", "Seconds spent in matching runs", value=runs.seconds
        )
        yield GaugeMetricFamily(
            "penpal_up", "1 while the bot runs (this page answers only then)", value=1
        )


@dataclass
class HealthPage:
    """`/healthz` and `/metrics` on `[health] listen` (host:port, meant for localhost)."""

    config: Config
    services: Services
    liveness: Liveness
    sweeps: Callable[[], int]
    _site: LocalSite = field(default_factory=LocalSite)
    _registry: CollectorRegistry = field(
        default_factory=lambda: CollectorRegistry(auto_describe=True)
    )

    async def start(self, listen: str) -> tuple[str, int]:
        self._registry.register(Numbers(self.services, self.sweeps))
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        address = await self._site.start(app, listen)
        log.info("health page on http://%s:%s/healthz", *address)
        return address

    @property
    def address(self) -> tuple[str, int] | None:
        """Where the page listens (the port chosen when `listen` asked for port 0)."""
        return self._site.address

    async def stop(self) -> None:
        await self._site.stop()

    async def healthz(self, request: web.Request) -> web.Response:
        now = datetime.now(UTC)
        report = await asyncio.to_thread(assess, self.config, now, datetime.now())
        body = as_json(report, now, self.liveness.alive())
        # 200 when the bot's loops are alive; what the database says is in the body
        # (`warnings`), so that a monitor can tell a stalled bot from one needing a look.
        status = 200 if all(self.liveness.alive().values()) else 503
        return web.Response(
            status=status, text=json.dumps(body, indent=2), content_type="application/json"
        )

    async def metrics(self, request: web.Request) -> web.Response:
        return web.Response(
            body=generate_latest(self._registry),
            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
        )


@dataclass
class Monitor:
    """The bot's own account of its health: heartbeats in the database (for `status`), loops
    alive in memory (for `/healthz` and the watchdog), systemd's messages, the web page."""

    config: Config
    services: Services
    beat: Callable[[str, datetime], Awaitable[None]]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    sweeps: int = 0
    page: HealthPage | None = None
    liveness: Liveness = field(init=False)

    def __post_init__(self) -> None:
        self.liveness = Liveness(
            {
                "dispatch": self.config.scheduler.dispatch_interval_seconds,
                "sweep": (self.config.reminders.sweep_minutes or 15) * 60,
            }
        )

    async def dispatched(self) -> None:
        self.liveness.done("dispatch")
        await self.beat("dispatch", datetime.now(UTC))

    async def swept(self) -> None:
        self.sweeps += 1
        self.liveness.done("sweep")
        await self.beat("sweep", datetime.now(UTC))

    async def start(self, every: Callable[[Callable[[], Any], float, str], None]) -> None:
        """After the platforms are connected: the page, READY, and the watchdog's pings
        (`every(job, seconds, id)` plans a job)."""
        if self.config.health.listen:
            self.page = HealthPage(self.config, self.services, self.liveness, lambda: self.sweeps)
            await self.page.start(self.config.health.listen)
        await self.beat("started", datetime.now(UTC))  # loops are counted from here
        await self.dispatched()  # the outbox was looked at as the bot started
        if notify("READY=1", self.env):
            log.info("told systemd the bot is ready")
        interval = watchdog_interval(self.env)
        if interval:
            every(lambda: ping_watchdog(self.liveness, self.env), interval, "watchdog")

    async def stop(self) -> None:
        notify("STOPPING=1", self.env)
        if self.page is not None:
            await self.page.stop()
            self.page = None
