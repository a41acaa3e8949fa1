"""Benchmark: optimal matching of 5,000 volunteers (capacity 1-3) against 20,000 waiting pen pals.

Prints time, peak memory and total score of the engine on the full instance; then, on a
2,000 x 2,000 instance, the engine against an exact dense solver over ALL pairs and a greedy
baseline, as ratios measured in the same run.

    .venv/bin/python benchmarks/matching.py [--volunteers 5000] [--penpals 20000] [--seed 1] [--repeat 1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching.types import VolunteerSlot, WaitingPenPal

# The engine (numpy, numba, the compiled passes) is imported in main(), not here: the benchmark
# of a whole run (benchmarks/matching_db.py) uses `instance` and must time the first import.

LANGUAGES = {"en": 0.86, "es": 0.24, "fr": 0.03, "pt": 0.02, "vi": 0.01, "zh": 0.01, "ar": 0.01}
INTERESTS = [
    "books", "music", "faith", "art", "poetry", "cooking", "sports", "movies", "nature", "history",
    "crafts", "writing", "gardening", "animals", "fitness", "fashion", "travel", "science",
    "games", "puzzles", "photography", "dance", "theatre", "languages", "politics", "justice",
    "recovery", "parenting", "education", "tv", "comics", "astrology", "knitting", "baking",
    "football", "basketball", "hiking", "meditation", "philosophy", "psychology",
]  # fmt: skip
KINDS = ["friendship", "spiritual", "creative", "activist"]


def people(
    rng: np.random.Generator, n: int
) -> list[tuple[frozenset[str], frozenset[str], frozenset[str]]]:
    weights = 1.0 / np.arange(1, len(INTERESTS) + 1)  # Zipf-like: a few interests are common
    weights /= weights.sum()
    out = []
    for _ in range(n):
        langs = {code for code, share in LANGUAGES.items() if rng.random() < share} or {"en"}
        interests = rng.choice(INTERESTS, size=rng.integers(2, 7), replace=False, p=weights)
        kinds = rng.choice(KINDS, size=rng.integers(1, 3), replace=False, p=[0.6, 0.2, 0.12, 0.08])
        out.append((frozenset(langs), frozenset(interests), frozenset(kinds)))
    return out


def instance(
    seed: int, n_volunteers: int, n_penpals: int
) -> tuple[list[VolunteerSlot], list[WaitingPenPal], set[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    volunteers = [
        VolunteerSlot(
            i + 1, langs, interests, kinds, bool(rng.random() < 0.75), int(rng.integers(1, 4))
        )
        for i, (langs, interests, kinds) in enumerate(people(rng, n_volunteers))
    ]
    penpals = [
        WaitingPenPal(100_000 + j, langs, interests, kinds, bool(rng.random() < 0.3),
                      int(min(900, rng.exponential(120))))
        for j, (langs, interests, kinds) in enumerate(people(rng, n_penpals))
    ]  # fmt: skip
    past = {(int(rng.integers(1, n_volunteers + 1)), 100_000 + int(rng.integers(0, n_penpals)))
            for _ in range(n_volunteers // 2)}  # fmt: skip
    return volunteers, penpals, past


PHASES = {
    "_problem": "encoding",
    "threshold_guess": "first prices",
    "auction": "auctions",
    "best": "volunteers' prices",
    "promising": "searches for promising pairs",
    "_assign": "exact assignments",
    "_prices": "dual prices",
    "count": "proof passes",
}


def timed_phases() -> dict[str, list[float]]:
    """Wrap the engine's phases to time them (the wrappers cost microseconds)."""
    from bot.matching import engine as matching

    spent: dict[str, list[float]] = {name: [] for name in PHASES}
    for name in PHASES:
        owner = matching if hasattr(matching, name) else matching._Problem
        real = getattr(owner, name)

        def wrapper(*args: object, _real: object = real, _name: str = name) -> object:
            started = time.perf_counter()
            try:
                return _real(*args)  # type: ignore[operator]
            finally:
                spent[_name].append(time.perf_counter() - started)

        setattr(owner, name, wrapper)
    return spent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--penpals", type=int, default=20000)
    parser.add_argument("--small", type=int, default=2000, help="size of the exact comparison")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="more runs in the same process")
    args = parser.parse_args()

    from bot.matching.engine import solve

    volunteers, penpals, past = instance(args.seed, args.volunteers, args.penpals)
    slots = sum(v.free for v in volunteers)
    before = peak_mb()
    spent = timed_phases()
    started = time.perf_counter()
    proposals, proof = solve(volunteers, penpals, past, seed=args.seed)
    elapsed = time.perf_counter() - started
    print(
        f"full instance: {args.volunteers} volunteers ({slots} slots), {args.penpals} waiting pen pals"
    )
    total = sum(p.score for p in proposals)
    print(f"  engine: {elapsed:.2f} s, {len(proposals)} proposals, total score {total:.1f}")
    print(f"  proof: {proof.rounds} rounds, {proof.kept:,} of {proof.pairs:,} pairs kept; "
          f"dual bound {proof.bound / 1e6:.6f} = total {proof.total / 1e6:.6f}: "
          f"{'PROVEN OPTIMAL' if proof.proven else 'NOT PROVEN'}")  # fmt: skip
    print(f"  peak memory of the process: {peak_mb():.0f} MB (data built: {before:.0f} MB)")
    print("  where the time went: " + ", ".join(
        f"{PHASES[name]} {sum(times):.2f} s" + (f" ({len(times)})" if len(times) > 1 else "")
        for name, times in spent.items()))  # fmt: skip

    for _ in range(args.repeat - 1):  # the engine already imported and its code loaded
        started = time.perf_counter()
        solve(volunteers, penpals, past, seed=args.seed)
        print(f"  again in the same process: {time.perf_counter() - started:.2f} s")

    compare(args.seed + 1, args.small, args.small, args.seed)
    # The real shape: twice as many waiting pen pals as free slots.
    compare(args.seed + 2, args.small // 4, args.small, args.seed)


def compare(instance_seed: int, n_volunteers: int, n_penpals: int, seed: int) -> None:
    """The engine against an exact dense solver over all pairs and a greedy baseline."""
    from bot.matching.engine import propose
    from tests.matching_baselines import exact_dense, greedy

    small_v, small_p, small_past = instance(instance_seed, n_volunteers, n_penpals)
    started = time.perf_counter()
    engine = sum(p.score for p in propose(small_v, small_p, small_past, seed=seed))
    engine_time = time.perf_counter() - started
    started = time.perf_counter()
    exact = exact_dense(small_v, small_p, small_past, seed=seed)
    exact_time = time.perf_counter() - started
    started = time.perf_counter()
    baseline = greedy(small_v, small_p, small_past, seed=seed)
    greedy_time = time.perf_counter() - started
    print(
        f"{n_volunteers} volunteers ({sum(v.free for v in small_v)} slots) x {n_penpals} pen pals:"
    )
    print(f"  engine {engine:.1f} in {engine_time:.2f} s | exact dense {exact:.1f} in {exact_time:.2f} s"
          f" | greedy {baseline:.1f} in {greedy_time:.2f} s")  # fmt: skip
    print(f"  score ratio engine/exact: {engine / exact:.6f}; greedy/exact: {baseline / exact:.6f}")
    print(f"  peak memory of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
