"""Logging set-up that never writes a secret: tokens are redacted from every record."""

from __future__ import annotations

import logging
from collections.abc import Iterable


class RedactingFilter(logging.Filter):
    """Replaces each secret (for example a bot token inside a request URL) with '[redacted]'."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        text = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        cleaned = text
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "[redacted]")
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


# Loggers of libraries that echo request or SQL payloads at DEBUG level: message texts with a
# pen pal's committed name, ID number or address would end up in log files.
PAYLOAD_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
    "httpx",
    "httpcore",
    "aiosqlite",
    "discord.http",
    "discord.gateway",
    "discord.webhook.async_",
    "discord.state",
    "discord.client",
    "apscheduler",
)


def quiet_payload_loggers() -> None:
    """Never let the libraries that echo payloads log below INFO, whatever the root level."""
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.INFO:
            logger.setLevel(logging.INFO)


def setup_logging(secrets: Iterable[str], level: int = logging.INFO) -> None:
    """Log to stderr with secrets redacted; keep chatty HTTP libraries at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the Telegram token is part of each one.
    for noisy in ("httpx", "httpcore", "apscheduler", "discord.gateway", "discord.http"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    quiet_payload_loggers()
