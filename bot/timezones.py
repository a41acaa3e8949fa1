"""Turning what a volunteer types (an IANA zone, a city or a UTC offset) into an IANA zone."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)

# Offsets that are not whole hours have no Etc/ zone: use the best-known place that has them.
_HALF_HOURS = {
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (9, 30): "Australia/Darwin",
    (-3, 30): "America/St_Johns",
    (-9, 30): "Pacific/Marquesas",
}


@cache
def _cities() -> dict[str, str]:
    """Map the last part of every IANA name ('london', 'new york') to the zone."""
    found: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            continue
        city = zone.rsplit("/", 1)[1].replace("_", " ").casefold()
        found.setdefault(city, zone)
    return found


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones()}


def resolve_timezone(typed: str) -> str | None:
    """The IANA zone for a zone name, city or offset; None when it cannot be recognised."""
    text = typed.strip()
    if not text:
        return None
    exact = _zones_by_folded_name().get(text.casefold().replace(" ", "_"))
    if exact:
        return _valid(exact)
    if text.casefold() in {"utc", "gmt", "z"}:
        return "Etc/UTC"
    offset = _OFFSET.match(text)
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if minutes:
            return _HALF_HOURS.get((sign * hours, minutes))
        if hours > 14:
            return None
        if hours == 0:
            return "Etc/UTC"
        # POSIX-style Etc zones have the sign inverted: UTC+2 is Etc/GMT-2.
        return _valid(f"Etc/GMT{'-' if sign > 0 else '+'}{hours}")
    return _cities().get(text.casefold().replace("_", " "))


def _valid(zone: str) -> str | None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone
