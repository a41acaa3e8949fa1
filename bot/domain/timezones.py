"""Time zones as people type them: a city (found in a real gazetteer, accents optional, "City,
State" or "City, Country" to tell places apart), a name or abbreviation people use (EST,
Eastern, CET...), an IANA zone, or an offset. What they mean is a place, whose clock follows
daylight saving time: an answer that could mean several places gets a short choice of places,
never a guess, and a zone is never shown by an `Etc/` name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.gazetteer import City, fold, gazetteer, region_names
from bot.messages import Message, msg
from bot.messages.forms import CountryName

CHOICES = 4
"""At most this many places to choose from."""
CLEAR_LEAD = 10
"""A city this many times larger than any other of the same name elsewhere is the one meant."""


@dataclass(frozen=True)
class Place:
    """A zone and what to call it: 'Houston, Texas, United States' (the gazetteer's names, as
    they are), 'Eastern time (New York)' (from the catalogue)."""

    zone: str
    name: Message


@dataclass(frozen=True)
class ZoneAnswer:
    """What a typed answer means: one place, a choice of places, or nothing known."""

    place: Place | None = None
    choices: tuple[Place, ...] = ()


# What people call zones (catalogue keys `zone.*` name the places): one entry means that
# place; several, she chooses.
_NAMED: dict[str, tuple[tuple[str, str], ...]] = {}  # typed name -> (zone, catalogue key)
for _names, _zones in (
    (
        ("est", "edt", "et", "eastern", "eastern time", "us eastern", "hora del este"),
        (("America/New_York", "zone.new_york"),),
    ),
    (
        ("cdt", "ct", "central", "central time", "us central"),
        (("America/Chicago", "zone.chicago"),),
    ),
    (
        ("cst",),
        (
            ("America/Chicago", "zone.chicago"),
            ("America/Mexico_City", "zone.mexico_city"),
            ("Asia/Shanghai", "zone.shanghai"),
            ("America/Havana", "zone.havana"),
        ),
    ),
    (
        ("mdt", "mt", "mountain", "mountain time", "us mountain"),
        (("America/Denver", "zone.denver"),),
    ),
    (
        ("mst",),
        (
            ("America/Denver", "zone.denver"),
            ("America/Phoenix", "zone.phoenix"),
        ),
    ),
    (
        ("pst", "pdt", "pt", "pacific", "pacific time", "us pacific", "hora del pacifico"),
        (("America/Los_Angeles", "zone.los_angeles"),),
    ),
    (("akst", "akdt", "alaska", "alaska time"), (("America/Anchorage", "zone.anchorage"),)),
    (("hst", "hawaii", "hawaii time"), (("Pacific/Honolulu", "zone.honolulu"),)),
    (("adt", "atlantic", "atlantic time"), (("America/Halifax", "zone.halifax"),)),
    (
        ("ast",),
        (
            ("America/Halifax", "zone.halifax"),
            ("America/Puerto_Rico", "zone.puerto_rico"),
            ("Asia/Riyadh", "zone.riyadh"),
        ),
    ),
    (("nst", "ndt", "newfoundland"), (("America/St_Johns", "zone.st_johns"),)),
    (("gmt", "bst", "uk", "uk time", "british time"), (("Europe/London", "zone.london"),)),
    (
        ("ist",),
        (
            ("Asia/Kolkata", "zone.kolkata"),
            ("Europe/Dublin", "zone.dublin"),
            ("Asia/Jerusalem", "zone.jerusalem"),
        ),
    ),
    (("wet", "west"), (("Europe/Lisbon", "zone.lisbon"),)),
    (
        ("cet", "cest", "central european time"),
        (("Europe/Paris", "zone.paris"),),
    ),
    (
        ("eet", "eest", "eastern european time"),
        (("Europe/Athens", "zone.athens"),),
    ),
    (("msk", "moscow time"), (("Europe/Moscow", "zone.moscow"),)),
    (("sast",), (("Africa/Johannesburg", "zone.johannesburg"),)),
    (("wat",), (("Africa/Lagos", "zone.lagos"),)),
    (("eat",), (("Africa/Nairobi", "zone.nairobi"),)),
    (("jst",), (("Asia/Tokyo", "zone.tokyo"),)),
    (("kst",), (("Asia/Seoul", "zone.seoul"),)),
    (("hkt",), (("Asia/Hong_Kong", "zone.hong_kong"),)),
    (("sgt",), (("Asia/Singapore", "zone.singapore"),)),
    (("pht",), (("Asia/Manila", "zone.manila"),)),
    (
        ("aest",),
        (
            ("Australia/Sydney", "zone.sydney"),
            ("Australia/Brisbane", "zone.brisbane"),
        ),
    ),
    (("aedt",), (("Australia/Sydney", "zone.sydney"),)),
    (("awst",), (("Australia/Perth", "zone.perth"),)),
    (("nzst", "nzdt"), (("Pacific/Auckland", "zone.auckland"),)),
    (("brt",), (("America/Sao_Paulo", "zone.sao_paulo"),)),
    (("art",), (("America/Argentina/Buenos_Aires", "zone.buenos_aires"),)),
):
    for _name in _names:
        _NAMED[_name] = _zones

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
        return ZoneAnswer(Place("UTC", _literal("UTC")))
    named = _NAMED.get(text) or _NAMED.get(text.removesuffix(" time"))
    if named:
        places = tuple(Place(zone, msg(key)) for zone, key in named)
        return ZoneAnswer(places[0]) if len(places) == 1 else ZoneAnswer(choices=places)
    offset = _OFFSET.match("".join(typed.split()))  # before folding: it drops the minus
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        minutes = sign * (int(offset.group(2)) * 60 + int(offset.group(3) or 0))
        return ZoneAnswer(choices=_places_at(minutes, now))
    exact = _iana().get(text)
    if exact:  # "America/Chicago"
        return ZoneAnswer(Place(exact, _literal(_zone_city(exact))))
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


def _city_name(city: City) -> Message:
    """'Houston, Texas, United States': the country as the reader's language names it."""
    *state, country = region_names(city)
    where = CountryName(city.country, country)
    if state:
        return msg("place.in_state", city=city.name, state=state[0], country=where)
    return msg("place.in_country", city=city.name, country=where)


def _literal(text: str) -> Message:
    return msg("literal", text=text)


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
