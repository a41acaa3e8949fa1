"""The matching engine as a child process of the bot: `python -m bot.matching.child`.

It loads the engine at once (numpy, numba, the compiled passes from the cache), then reads one
pickled `Problem` from stdin, writes the pickled proposals to stdout and exits, giving all its
memory back. Nothing but the answer is written to stdout; messages go to stderr.
"""

from __future__ import annotations

import pickle
import sys


def main() -> int:
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by a library must not garble the answer
    from bot.matching.solver import load_engine, solve_here

    load_engine()  # while the bot reads the waiting list
    try:
        problem = pickle.load(sys.stdin.buffer)
    except EOFError:  # the run was given up before it asked anything
        return 0
    pickle.dump(solve_here(problem), answer, protocol=pickle.HIGHEST_PROTOCOL)
    answer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
