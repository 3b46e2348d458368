"""Numerals to Decimal. Forms taken from the language of work reports
(GUIDELINES.md section 2 and issue 2's list)."""

from decimal import Decimal

import pytest

from unionfacts.numbers import decimal_text, parse_number

CASES = [
    # (numeral run, value)
    ("39.08万", "390800"),
    ("188.5万", "1885000"),
    ("2.79亿", "279000000"),
    ("16.4亿", "1640000000"),  # cn2an gets 1639999999 through a float
    ("1,100万", "11000000"),
    ("3万4000", "34000"),
    ("25万6千", "256000"),
    ("1.2万亿", "1200000000000"),
    ("3亿5000万", "350000000"),
    ("三千二百万", "32000000"),
    ("两", "2"),
    ("十", "10"),
    ("十五", "15"),
    ("二十五", "25"),
    ("一百零五", "105"),
    ("万", "10000"),
    ("4188.57万", "41885700"),
    ("92.39", "92.39"),
    ("0.94万", "9400"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_number(text: str, expected: str) -> None:
    value = parse_number(text)
    assert value == Decimal(expected)
    assert decimal_text(value) == expected


@pytest.mark.parametrize("text", ["", "abc", "3 5"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None
