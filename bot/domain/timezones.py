"""Time zones as people type them: a city (found in a real gazetteer, accents optional, "City,
State" or "City, Country" to tell places apart), a name or abbreviation people use (EST,
Eastern, CET...), an IANA zone, or an offset. What they mean is a place, whose clock follows
daylight saving time: an answer that could mean several places gets a short choice of places,
never a guess, and a zone is never shown by an `Etc/` name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.gazetteer import City, fold, gazetteer, region_names

CHOICES = 4
"""At most this many places to choose from."""
CLEAR_LEAD = 10
"""A city this many times larger than any other of the same name elsewhere is the one meant."""


@dataclass(frozen=True)
class Place:
    """A zone and what to call it: 'Houston, Texas, United States', 'Eastern time (New York)'."""

    zone: str
    name: str


@dataclass(frozen=True)
class ZoneAnswer:
    """What a typed answer means: one place, a choice of places, or nothing known."""

    place: Place | None = None
    choices: tuple[Place, ...] = ()


# What people call zones. One entry: that place; several: they choose. fmt: off
_NAMED: dict[str, tuple[tuple[str, str], ...]] = {}
for _names, _zones in (
    (
        ("est", "edt", "et", "eastern", "eastern time", "us eastern", "hora del este"),
        (("America/New_York", "Eastern time (New York)"),),
    ),
    (
        ("cdt", "ct", "central", "central time", "us central"),
        (("America/Chicago", "Central time (Chicago)"),),
    ),
    (
        ("cst",),
        (
            ("America/Chicago", "Central time (Chicago)"),
            ("America/Mexico_City", "Mexico City"),
            ("Asia/Shanghai", "China (Shanghai)"),
            ("America/Havana", "Cuba (Havana)"),
        ),
    ),
    (
        ("mdt", "mt", "mountain", "mountain time", "us mountain"),
        (("America/Denver", "Mountain time (Denver)"),),
    ),
    (
        ("mst",),
        (
            ("America/Denver", "Mountain time (Denver)"),
            ("America/Phoenix", "Arizona (Phoenix, no daylight saving)"),
        ),
    ),
    (
        ("pst", "pdt", "pt", "pacific", "pacific time", "us pacific", "hora del pacifico"),
        (("America/Los_Angeles", "Pacific time (Los Angeles)"),),
    ),
    (("akst", "akdt", "alaska", "alaska time"), (("America/Anchorage", "Alaska (Anchorage)"),)),
    (("hst", "hawaii", "hawaii time"), (("Pacific/Honolulu", "Hawaii (Honolulu)"),)),
    (("adt", "atlantic", "atlantic time"), (("America/Halifax", "Atlantic time (Halifax)"),)),
    (
        ("ast",),
        (
            ("America/Halifax", "Atlantic time (Halifax)"),
            ("America/Puerto_Rico", "Puerto Rico"),
            ("Asia/Riyadh", "Arabia (Riyadh)"),
        ),
    ),
    (("nst", "ndt", "newfoundland"), (("America/St_Johns", "Newfoundland (St. John's)"),)),
    (("gmt", "bst", "uk", "uk time", "british time"), (("Europe/London", "UK time (London)"),)),
    (
        ("ist",),
        (
            ("Asia/Kolkata", "India (Kolkata)"),
            ("Europe/Dublin", "Ireland (Dublin)"),
            ("Asia/Jerusalem", "Israel (Jerusalem)"),
        ),
    ),
    (("wet", "west"), (("Europe/Lisbon", "Western European time (Lisbon)"),)),
    (
        ("cet", "cest", "central european time"),
        (("Europe/Paris", "Central European time (Paris)"),),
    ),
    (
        ("eet", "eest", "eastern european time"),
        (("Europe/Athens", "Eastern European time (Athens)"),),
    ),
    (("msk", "moscow time"), (("Europe/Moscow", "Moscow time"),)),
    (("sast",), (("Africa/Johannesburg", "South Africa (Johannesburg)"),)),
    (("wat",), (("Africa/Lagos", "West Africa (Lagos)"),)),
    (("eat",), (("Africa/Nairobi", "East Africa (Nairobi)"),)),
    (("jst",), (("Asia/Tokyo", "Japan (Tokyo)"),)),
    (("kst",), (("Asia/Seoul", "Korea (Seoul)"),)),
    (("hkt",), (("Asia/Hong_Kong", "Hong Kong"),)),
    (("sgt",), (("Asia/Singapore", "Singapore"),)),
    (("pht",), (("Asia/Manila", "Philippines (Manila)"),)),
    (
        ("aest",),
        (
            ("Australia/Sydney", "Australian Eastern time (Sydney)"),
            ("Australia/Brisbane", "Queensland (Brisbane, no daylight saving)"),
        ),
    ),
    (("aedt",), (("Australia/Sydney", "Australian Eastern time (Sydney)"),)),
    (("awst",), (("Australia/Perth", "Western Australia (Perth)"),)),
    (("nzst", "nzdt"), (("Pacific/Auckland", "New Zealand (Auckland)"),)),
    (("brt",), (("America/Sao_Paulo", "Brazil (São Paulo)"),)),
    (("art",), (("America/Argentina/Buenos_Aires", "Argentina (Buenos Aires)"),)),
):
    for _name in _names:
        _NAMED[_name] = _zones
# fmt: on

_UTC = ("utc", "z", "zulu", "coordinated universal time")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?:[:h]?(\d{2}))?$", re.IGNORECASE)


@cache
def _iana() -> dict[str, str]:
    """IANA names by folded name, without `Etc/` and the old abbreviation zones (EST, CET…
    follow no place, and some no daylight saving)."""
    return {
        fold(z.replace("_", " ")): z
        for z in available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    }


def find_zone(typed: str, now: datetime) -> ZoneAnswer:
    """What `typed` means (`now` tells which places have a given offset today)."""
    text = fold(typed.replace("_", " "))
    if not text:
        return ZoneAnswer()
    if text in _UTC or text in ("utc+0", "utc-0", "gmt+0", "gmt-0", "+0", "-0"):
        return ZoneAnswer(Place("UTC", "UTC"))
    named = _NAMED.get(text) or _NAMED.get(text.removesuffix(" time"))
    if named:
        places = tuple(Place(zone, name) for zone, name in named)
        return ZoneAnswer(places[0]) if len(places) == 1 else ZoneAnswer(choices=places)
    offset = _OFFSET.match("".join(typed.split()))  # before folding: it drops the minus
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        minutes = sign * (int(offset.group(2)) * 60 + int(offset.group(3) or 0))
        return ZoneAnswer(choices=_places_at(minutes, now))
    exact = _iana().get(text)
    if exact:  # "America/Chicago"
        return ZoneAnswer(Place(exact, _zone_city(exact)))
    city, _, qualifier = (part.strip() for part in text.partition(","))
    return _city(city, qualifier) or ZoneAnswer()


def _city(name: str, qualifier: str) -> ZoneAnswer | None:
    cities = gazetteer().find(name)
    own = [c for c in cities if c.by_its_name]
    cities = own or cities
    if qualifier:
        cities = [c for c in cities if qualifier in {fold(n) for n in _qualifiers(c)}]
    if not cities:
        return None
    best: dict[str, City] = {}
    for city in cities:  # largest first: the first city of each zone stands for it
        best.setdefault(city.zone, city)
    ranked = list(best.values())
    if len(ranked) == 1 or ranked[0].population >= CLEAR_LEAD * ranked[1].population:
        return ZoneAnswer(Place(ranked[0].zone, _city_name(ranked[0])))
    return ZoneAnswer(choices=tuple(Place(c.zone, _city_name(c)) for c in ranked[:CHOICES]))


def _qualifiers(city: City) -> list[str]:
    names = [*region_names(city), city.country]
    if city.country == "US":
        names += [city.region, "usa", "us", "united states of america"]
    if city.country == "GB":
        names += ["uk", "england", "great britain", "britain"]
    return names


def _city_name(city: City) -> str:
    return ", ".join([city.name, *region_names(city)])


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@cache
def _largest_by_zone() -> list[City]:
    return sorted(gazetteer().zones().values(), key=lambda c: -c.population)


def _places_at(minutes: int, now: datetime) -> tuple[Place, ...]:
    """The most populous places whose clocks are `minutes` off UTC at `now`."""
    wanted = timedelta(minutes=minutes)
    found = []
    for city in _largest_by_zone():
        if ZoneInfo(city.zone).utcoffset(now) == wanted:
            found.append(Place(city.zone, _city_name(city)))
            if len(found) == CHOICES:
                break
    return tuple(found)


def zone_name(zone: str) -> str:
    """How to show a stored zone: 'Chicago', 'UTC', 'UTC-5' (never an `Etc/` name)."""
    if zone in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    fixed = re.fullmatch(r"Etc/GMT([+-])(\d+)", zone)
    if fixed:  # POSIX style: Etc/GMT+5 is five hours behind UTC
        return f"UTC{'-' if fixed.group(1) == '+' else '+'}{fixed.group(2)}"
    return _zone_city(zone)


def local_time(zone: str, now: datetime) -> str:
    """The time now in `zone`, as a clock shows it: '09:14'."""
    return now.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def resolve_timezone(typed: str, now: datetime | None = None) -> str | None:
    """The IANA zone when `typed` means one place; None when unknown or ambiguous."""
    answer = find_zone(typed, now or datetime.now(UTC))
    return answer.place.zone if answer.place and _valid(answer.place.zone) else None


def _valid(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
