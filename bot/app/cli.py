"""The `penpal-bot` command: run the bot, upgrade, back up or restore the database."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from pathlib import Path

from bot.app.config import DISCORD_TOKEN_ENV, TELEGRAM_TOKEN_ENV, Config, ConfigError, load_config
from bot.app.logs import quiet_payload_loggers, setup_logging
from bot.messages.translations import LANGUAGES

NO_TOKEN = f"""penpal-bot: no platform token is set.
Set {TELEGRAM_TOKEN_ENV} (from Telegram's @BotFather) and/or {DISCORD_TOKEN_ENV}
(from the Discord developer portal) in the environment, then run again.
To see it work without any account first: `penpal-bot demo` (or `make run` with no token)
plays a whole story with the real bot on the sandbox: local fake Telegram and Discord
servers."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="penpal-bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (Discord and/or Telegram)")
    run.add_argument("--config", type=Path, help="TOML config file (default: ./config.toml)")
    demo = sub.add_parser("demo", help="see the whole program work on local fake platforms")
    demo.add_argument("--keep", action="store_true", help="keep the fakes and the bot running")
    demo.add_argument(
        "--language", choices=LANGUAGES, default="en", help="the language the people read"
    )
    box = sub.add_parser("sandbox", help="play a demo started with `demo --keep` by hand")
    box.add_argument("--demo", type=int, help="which kept demo (its number), when several run")
    box_sub = box.add_subparsers(dest="sandbox_command", required=True)
    say = box_sub.add_parser("say", help="type as someone: PLATFORM WHO TEXT")
    say.add_argument("platform", choices=["telegram", "discord"])
    say.add_argument("who", help="tess or cora (Telegram), dana or cora (Discord), or any name")
    say.add_argument("text", nargs="+")
    press = box_sub.add_parser("press", help="press a button by its label: PLATFORM WHO LABEL")
    press.add_argument("platform", choices=["telegram", "discord"])
    press.add_argument("who")
    press.add_argument("label", nargs="+", help="the button's label (menu choices: A, B)")
    form = box_sub.add_parser("form", help="fill the form open on Discord: WHO FIELD=VALUE ...")
    form.add_argument("who")
    form.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    clock = box_sub.add_parser("clock", help="move the sandbox clock: +3d, +4h, +30m or a time")
    clock.add_argument("to")
    st = sub.add_parser(
        "status", help="is the bot healthy? (exit 1 when something needs attention)"
    )
    st.add_argument("--config", type=Path)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply pending migrations")
    up.add_argument("--config", type=Path)
    bk = db_sub.add_parser("backup", help="copy the live database safely (online backup)")
    bk.add_argument("path", type=Path, help="where to write the copy")
    bk.add_argument("--config", type=Path)
    rs = db_sub.add_parser(
        "restore", help="replace the database with a backup (stop the bot first)"
    )
    rs.add_argument("path", type=Path, help="the backup to restore")
    rs.add_argument("--config", type=Path)
    for kind in ("penpals", "facilities"):
        reg = sub.add_parser(kind, help=f"import or export the {kind} register as CSV")
        reg_sub = reg.add_subparsers(dest="registry_action", required=True)
        for action in ("import", "export"):
            one = reg_sub.add_parser(action, help=f"{action} {kind} (CSV file)")
            one.add_argument("path", type=Path, help="the CSV file")
            one.add_argument("--config", type=Path)
    return parser


SANDBOX_CLOCK_ENV = "PENPAL_SANDBOX_CLOCK"
"""Set only by `penpal-bot demo`: the file whose time the bot takes as now."""


def _config(path: Path | None) -> Config:
    if path is None and Path("config.toml").exists():
        path = Path("config.toml")
    return load_config(path)


async def _run(config: Config) -> int:
    from bot.app.runtime import App, Tokens

    tokens = Tokens.from_env(os.environ)
    if not (tokens.discord or tokens.telegram):
        print(NO_TOKEN, file=sys.stderr)
        return 2
    setup_logging([tokens.discord, tokens.telegram])
    sandbox_clock = os.environ.get(SANDBOX_CLOCK_ENV)
    if sandbox_clock:
        from sandbox.clock import FileClock

        app = App(config, tokens, clock=FileClock(sandbox_clock))
    else:
        app = App(config, tokens)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await app.start()
    except Exception as exc:
        # Through the logger, whose filter redacts tokens: PTB puts the token in its message.
        logging.getLogger("penpal-bot").error("could not start: %s: %s", type(exc).__name__, exc)
        return 1
    # Long-lived objects (libraries, handlers, caches) are never garbage: keep them out of the
    # collector's way, so its pauses stay short while people are waiting for a reply.
    gc.collect()
    gc.freeze()
    print("penpal-bot: running; press Ctrl+C to stop.", file=sys.stderr, flush=True)
    try:
        await stop.wait()
    finally:
        await app.stop()
    print("penpal-bot: stopped.", file=sys.stderr, flush=True)
    return 0


def _status(config: Config) -> int:
    import sqlite3
    from datetime import UTC, datetime

    from bot.app.status import assess, lines

    now, local = datetime.now(UTC), datetime.now()
    try:
        report = assess(config, now, local)
    except FileNotFoundError as missing:
        print(f"penpal-bot: {missing} (is [storage] database right?)", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as error:
        print(
            f"penpal-bot: cannot read {config.storage.database}: {error} "
            "(run it as the bot's user, e.g. sudo -u penpal)",
            file=sys.stderr,
        )
        return 2
    print("\n".join(lines(report, config, now, local)))
    return 0 if report.healthy else 1


def _restore(args: argparse.Namespace, config: Config) -> int:
    from datetime import datetime

    from storage.backups import RestoreRefused, restore
    from storage.database import AlreadyRunning

    database = Path(config.storage.database)
    try:
        done = restore(args.path, database, datetime.now())
    except AlreadyRunning:
        print(
            f"penpal-bot: a bot is running on {database}; stop it first "
            "(systemctl stop penpal-bot), then restore.",
            file=sys.stderr,
        )
        return 1
    except RestoreRefused as refused:
        print(f"penpal-bot: nothing was changed: {refused}.", file=sys.stderr)
        return 1
    print(f"penpal-bot: restored {database} from {done.source}.")
    if done.kept is not None:
        print(f"penpal-bot: the database as it was is kept in {done.kept}.")
    print("penpal-bot: start the bot again; anything newer than the backup is not in it.")
    return 0


async def _db(args: argparse.Namespace, config: Config) -> int:
    from storage.database import Database, backup

    async with await Database.open(config.storage.database) as db:
        if args.db_command == "backup":
            await backup(db.conn, args.path)
            print(f"penpal-bot: backed up {config.storage.database} to {args.path}")
        else:
            print(f"penpal-bot: {config.storage.database} is up to date")
    return 0


async def _registry(args: argparse.Namespace, config: Config) -> int:
    from bot.app.spreadsheets import run
    from bot.domain.clock import Clock, SystemClock
    from bot.registry import RegistryService
    from storage.database import Database
    from storage.repos import SqliteUnitOfWork

    clock: Clock = SystemClock()
    sandbox_clock = os.environ.get(SANDBOX_CLOCK_ENV)
    if sandbox_clock:  # the demo's import checks dates against the demo's own day
        from sandbox.clock import FileClock

        clock = FileClock(sandbox_clock)
    async with await Database.open(config.storage.database) as db:
        registry = RegistryService(lambda: SqliteUnitOfWork(db), clock)
        return await run(registry, args.command, args.registry_action, args.path)


def _sandbox_action(args: argparse.Namespace) -> dict[str, object]:
    """What `penpal-bot sandbox ...` asks the kept demo to do."""
    match args.sandbox_command:
        case "say":
            return {"action": "say", "platform": args.platform, "who": args.who,
                    "text": " ".join(args.text)}  # fmt: skip
        case "press":
            return {"action": "press", "platform": args.platform, "who": args.who,
                    "text": " ".join(args.label)}  # fmt: skip
        case "form":
            fields = dict(field.partition("=")[::2] for field in args.fields)
            return {"action": "form", "platform": "discord", "who": args.who, "fields": fields}
        case _:
            return {"action": "clock", "text": args.to}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script and of `python -m bot`."""
    args = _parser().parse_args(argv)
    quiet_payload_loggers()  # every command: no library may log pen pals' data
    if args.command == "demo":
        from sandbox.demo import run_demo

        try:
            code: int = asyncio.run(run_demo(keep=args.keep, language=args.language))
        except KeyboardInterrupt:
            return 0
        return code
    if args.command == "sandbox":
        from sandbox.keep import send

        sent: int = asyncio.run(send(_sandbox_action(args), args.demo))
        return sent
    try:
        config = _config(args.config)
    except ConfigError as exc:
        print(f"penpal-bot: config error: {exc}", file=sys.stderr)
        return 2
    if args.command == "run":
        return asyncio.run(_run(config))
    if args.command == "status":
        return _status(config)
    if args.command in ("penpals", "facilities"):
        return asyncio.run(_registry(args, config))
    if args.db_command == "restore":
        return _restore(args, config)
    return asyncio.run(_db(args, config))


if __name__ == "__main__":
    sys.exit(main())
