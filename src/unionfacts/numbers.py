"""Numerals to Decimal: Arabic, Chinese and mixed forms, with multipliers.

    39.08万 -> 390800      1,100万 -> 11000000     3万4000 -> 34000
    25万6千 -> 256000      三千二百万 -> 32000000   两 -> 2    十五 -> 15

Decimal throughout: 16.4亿 is 1640000000 exactly, never 1639999999 through a
float.
"""

from __future__ import annotations

import re
from decimal import Decimal

CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
WAN = Decimal(10_000)
YI = Decimal(100_000_000)

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[〇零一二两三四五六七八九]|[十百千万亿]")


def parse_number(text: str) -> Decimal | None:
    """Value of a numeral run such as `39.08万`, `三千二百万` or `3万4000`.
    Returns None when the run is not a well-formed number."""
    tokens = _TOKEN.findall(text)
    if not tokens or "".join(tokens) != text:
        return None
    if len(tokens) > 1 and all(t in CHINESE_DIGITS for t in tokens):
        # 二〇二三: positional digits, not a counted amount
        return Decimal("".join(str(CHINESE_DIGITS[t]) for t in tokens))
    yi_part = Decimal(0)
    wan_part = Decimal(0)
    small = Decimal(0)
    current: Decimal | None = None
    for tok in tokens:
        if tok in CHINESE_DIGITS:
            current = Decimal(CHINESE_DIGITS[tok])
        elif tok in SMALL_MULTIPLIERS:
            small += (current if current is not None else Decimal(1)) * SMALL_MULTIPLIERS[tok]
            current = None
        elif tok == "万":
            small += current if current is not None else Decimal(0)
            wan_part += (small if small else Decimal(1)) * WAN
            small = Decimal(0)
            current = None
        elif tok == "亿":
            # everything so far is counted in 亿 (1.2万亿 = 1.2万 x 亿)
            below = yi_part + wan_part + small + (current if current is not None else Decimal(0))
            yi_part = (below if below else Decimal(1)) * YI
            wan_part = Decimal(0)
            small = Decimal(0)
            current = None
        else:  # an Arabic number
            if current is not None:
                return None  # two numbers in a row: 3 5
            current = Decimal(tok.replace(",", ""))
            if current.adjusted() >= MAX_DIGITS:
                return None
    total = yi_part + wan_part + small + (current if current is not None else Decimal(0))
    if total.adjusted() >= MAX_DIGITS:
        return None  # not a figure anyone reports (an ID, a digit dump): skip it
    return normalize_decimal(total)


# Decimal's default precision: a number of more digits cannot be held exactly.
MAX_DIGITS = 28


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def is_chinese_numeral(text: str) -> bool:
    return not any(ch.isdigit() for ch in text)


def decimal_text(value: Decimal) -> str:
    """Plain decimal string (no exponent) for storage and export."""
    return format(normalize_decimal(value), "f")
