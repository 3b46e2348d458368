"""The period grammar of GUIDELINES.md, as values.

    2023            calendar year
    2021-H1         half year
    2021-Q3         quarter
    2023-07         month
    2023-07-28      day
    2019..2023      inclusive span of any two of the forms above
    asof:2021-04    a stock measured at that time (any precision)
    ?               unknown

`parse_period` turns a period string into a `Period` with the first and last
day it covers, so that the store can keep them as dates and the checker can
compare periods without knowing the grammar.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

_POINT = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class Period:
    form: Literal["span", "asof", "unknown"]
    start: date | None  # first day covered (for asof: first day of the as-of point)
    end: date | None  # last day covered (for asof: the day the stock is measured)
    text: str

    def contains(self, other: Period) -> bool:
        """True when `other` lies wholly inside this span (both spans known)."""
        if self.form != "span" or other.form != "span":
            return False
        assert self.start and self.end and other.start and other.end
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        if not (self.start and self.end and other.start and other.end):
            return False
        return self.start <= other.end and other.start <= self.end


UNKNOWN = Period("unknown", None, None, "?")


def _point_bounds(text: str) -> tuple[date, date] | None:
    m = _POINT.match(text)
    if not m:
        return None
    year = int(m.group(1))
    part, day = m.group(2), m.group(3)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    if part.startswith("H"):
        first = 6 * int(part[1]) - 5
        last = first + 5
    elif part.startswith("Q"):
        first = 3 * int(part[1]) - 2
        last = first + 2
    else:
        first = last = int(part)
        if not 1 <= first <= 12:
            return None
    if day is not None:
        try:
            d = date(year, first, int(day))
        except ValueError:
            return None
        return d, d
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def parse_period(text: str | None) -> Period:
    """Parse a period string; anything unreadable is the unknown period."""
    if not text:
        return UNKNOWN
    text = text.strip()
    if text in ("", "?"):
        return UNKNOWN
    if text.startswith("asof:"):
        bounds = _point_bounds(text[5:])
        if bounds is None:
            return UNKNOWN
        return Period("asof", bounds[0], bounds[1], text)
    if ".." in text:
        a, b = text.split("..", 1)
        ba, bb = _point_bounds(a), _point_bounds(b)
        if ba is None or bb is None or ba[0] > bb[1]:
            return UNKNOWN
        return Period("span", ba[0], bb[1], text)
    bounds = _point_bounds(text)
    if bounds is None:
        return UNKNOWN
    return Period("span", bounds[0], bounds[1], text)
