"""The matching engine's child process: `python -m bot.app.matching_child DATABASE`.

Started by the bot for each matching run (bot/matching/solver.py). It loads the engine (numpy,
numba, the compiled passes from the cache) in a thread while it reads the waiting list from the
database in a read-only transaction, then reads one pickled `Request` from stdin, writes the
pickled `Solution` to stdout and exits, giving all its memory back. Nothing but the answer goes
to stdout; messages go to stderr. With nothing on stdin it only loads (or compiles) the engine.
"""

from __future__ import annotations

import asyncio
import pickle
import sys
import threading

from bot.matching.solver import Request, load_engine, solve_pool
from bot.matching.types import Pool
from storage.database import connect
from storage.repos import SqliteMatchRepo


async def read_pool(database: str, request: Request) -> Pool:
    conn = await connect(database)
    try:
        await conn.execute("BEGIN")  # one consistent read; no write lock is taken
        pool = await SqliteMatchRepo(conn).pool(request.today)
        await conn.execute("ROLLBACK")
        return pool
    finally:
        await conn.close()


def main(argv: list[str]) -> int:
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by a library must not garble the answer
    loading = threading.Thread(target=load_engine, name="load-engine")
    loading.start()
    try:
        request = pickle.load(sys.stdin.buffer)
    except EOFError:  # nothing asked: the engine was only to be made ready
        loading.join()
        load_engine()  # raises here if loading failed in the thread
        return 0
    pool = asyncio.run(read_pool(argv[0], request))
    loading.join()
    pickle.dump(solve_pool(pool, request), answer, protocol=pickle.HIGHEST_PROTOCOL)
    answer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
