"""Dates as listing pages and feeds write them, turned into ISO strings.

Only unambiguous spellings are accepted: "September 23, 2007", "Sept. 23, 2007",
"23 September 2007", "2007-09-23" (and a bare year where a caller asks for one). Numeric
day/month orders such as 09/10/2007 are ambiguous across locales and are not guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

# Each pattern matches a whole date somewhere in a text; the name says the order.
DATE_PATTERN = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|" + _MONTH.replace("month", "m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.replace("month", "m2") + r",?\s+(?P<y2>\d{4})"
    r")(?![\w-])",
    re.IGNORECASE,
)


def _build(year: str, month: int, day: str) -> str | None:
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def iso_from_match(match: re.Match[str]) -> str | None:
    """The ISO date of a DATE_PATTERN match, or None when it names no real day (Feb 30)."""
    if match.group("iso"):
        return _build(match.group("iy"), int(match.group("im")), match.group("id"))
    if match.group("m1"):
        return _build(match.group("y1"), _MONTHS[match.group("m1").lower()], match.group("d1"))
    return _build(match.group("y2"), _MONTHS[match.group("m2").lower()], match.group("d2"))


def parse_date(text: str | None) -> str | None:
    """The ISO date when `text` is a date and nothing else (surrounding space allowed)."""
    if not text:
        return None
    stripped = text.strip()
    match = DATE_PATTERN.fullmatch(stripped)
    return iso_from_match(match) if match else None
