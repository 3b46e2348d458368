"""Find number expressions in normalized text: candidates with value, unit and
approximation, before any reading of context.

One compiled regex finds every numeral run with what may follow it (余/多,
a second multiplier, a unit word, 以上/左右); the exclusion rules then drop
dates, ordinals, names and slogans; overlaps are settled by `filter_spans`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from unionfacts.normalize import is_han
from unionfacts.numbers import (
    CHINESE_DIGITS,
    SMALL_MULTIPLIERS,
    is_chinese_numeral,
    normalize_decimal,
    parse_number,
)
from unionfacts.rules import RuleSet, Unit

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# The Chinese numerals of the number grammar (numbers.py), in character classes.
_CN_DIGITS = "".join(CHINESE_DIGITS)
_CN_SMALL = "".join(SMALL_MULTIPLIERS)

# The groups that may end an expression that has no unit word.
_BEFORE_UNIT = (
    "cheng",
    "run",
    "vague",
    "vmult",
    "numer",
    "numer2",
    "fanall",
    "word",
    "suffix",
    "mult2",
)

# How many characters of modifiers may stand between a bare scaled number and
# the noun that lends it a unit (251.6万省标以下贫困人口).
_NOUN_REACH = 8

# How far around a candidate the exclusion rules look.
_WINDOW = 24


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # span in normalized text: number, markers and unit word
    end: int
    value: Decimal
    unit: Unit
    approx: str
    numeral: str  # arabic | chinese
    rule_id: str
    after_end: int  # end including an after-unit marker (以上, 左右)

    @property
    def length(self) -> int:
        return self.end - self.start


@cache
def candidate_regex(rules: RuleSet) -> re.Pattern[str]:
    """The one regex that finds candidates, compiled once per rule set."""
    cn = _CN_DIGITS + "".join(rules.multipliers)  # 三千二百万
    run = rf"(?:{_ARABIC}(?:{_multiplier_class(rules)}+(?:{_ARABIC}[{_CN_SMALL}]?)?)?|[{cn}]+)"
    vague = "|".join(re.escape(w) for w in sorted(rules.vague, key=len, reverse=True)) or "(?!x)x"
    suffix = (
        "|".join(re.escape(w) for w in sorted(rules.approx_suffix, key=len, reverse=True))
        or "(?!x)x"
    )
    after = (
        "|".join(re.escape(w) for w in sorted(rules.approx_after, key=len, reverse=True))
        or "(?!x)x"
    )
    words = "|".join(re.escape(w) for w in sorted(rules.word_numbers, key=len, reverse=True))
    words = words or "(?!x)x"
    forms = {k: f.pattern for k, f in rules.number_forms.items()}  # rules/numbers.yaml
    scaled = rules.phrases["scaled"].pattern
    pattern = (
        rf"(?:(?P<cheng>{forms['tenths']})"  # 约占三成: tenths
        rf"|(?P<den>{run}){forms['per_part']}(?P<numer>{run})"  # 四分之一
        rf"|{forms['short_fraction']}"  # 三分一: a third
        rf"|(?P<fanall>{forms['doubling']})"  # 翻一番: a growth of 100 %
        rf"|(?P<word>{words})"
        rf"|(?P<vague>{vague})(?P<vmult>{scaled})?"
        rf"|(?P<run>{run}))"
        rf"(?P<suffix>{suffix})?(?P<mult2>{scaled})?"
        rf"(?P<unit>{rules.unit_pattern})?"
        rf"(?P<after>{after})?"
    )
    return re.compile(pattern)


def _multiplier_class(rules: RuleSet) -> str:
    """A multiplier, unless it opens a unit word (千 of 千瓦, 千瓦时): 10.5亿千瓦
    is 10.5亿 of 千瓦, not 10.5亿千 of 瓦."""
    alts = []
    for w in rules.multipliers:
        nxt = sorted({u[1] for u in rules.units if len(u) > 1 and u[0] == w})
        alts.append(re.escape(w) + (f"(?![{''.join(map(re.escape, nxt))}])" if nxt else ""))
    return "(?:" + "|".join(alts) + ")"


@cache
def _prefix_regex(rules: RuleSet) -> tuple[re.Pattern[str], dict[str, str]]:
    """The markers by word, and one regex for the far form `超过…的`, anchored
    at the end of the text before a number."""
    approx = {w: a for w, a, _r in rules.approx_prefix}
    far = "|".join(
        rf"{re.escape(w)}[^,，。；;:：、]{{0,{r}}}{re.escape(rules.phrase_word['far_approx_end'])}"
        for w, _a, r in rules.approx_prefix
        if r
    )
    return re.compile(f"(?P<far>{far or '(?!x)x'})$"), approx


def _prefix_approx(text: str, start: int, rules: RuleSet) -> str | None:
    rx, approx = _prefix_regex(rules)
    tail = text[max(0, start - 4) : start]
    for k in (4, 3, 2, 1):  # a marker right before the number: a dictionary look-up
        if tail[-k:] in approx and len(tail) >= k:
            return approx[tail[-k:]]
    if not tail.endswith(rules.phrase_word["far_approx_end"]):
        return None
    m = rx.search(text, max(0, start - _WINDOW), start)  # 超过新当选总人数的四分之一
    if m is None or m.group("far") is None:
        return None
    for word, value, _reach in rules.approx_prefix:  # longest first
        if m.group(0).startswith(word):
            return value
    return None


@cache
def _noun_head(rules: RuleSet) -> re.Pattern[str]:
    # the counted noun may come a few characters after the number, its
    # modifiers between (1000多万失业人员, 近1亿农村贫困人口)
    return re.compile(f"[\u4e00-\u9fff]{{0,{_NOUN_REACH}}}?(?P<noun>{rules.noun_unit_pattern})")


@cache
def _noun_tail(rules: RuleSet) -> re.Pattern[str]:
    return re.compile(f"(?:{rules.noun_unit_pattern})$")


def _noun_before(text: str, start: int, rules: RuleSet) -> Unit | None:
    m = _noun_tail(rules).search(text, max(0, start - 8), start)
    return rules.noun_units[m.group(0)] if m else None


def _excluded(
    text: str, start: int, expr: str, end: int, value: Decimal, numeral: str, rules: RuleSet
) -> str | None:
    before = text[max(0, start - _WINDOW) : start]
    after = text[end : end + _WINDOW]
    for ex in rules.exclusions:
        if ex.numeral and ex.numeral != numeral:
            continue
        if ex.value is not None and value != Decimal(str(ex.value)):
            continue
        if ex.before and not ex.before.search(before):
            continue
        if ex.expr and not ex.expr.search(expr):
            continue
        if ex.after and not ex.after.match(after):
            continue
        return ex.id
    return None


def find_candidates(
    text: str, rules: RuleSet, start: int = 0, end: int | None = None
) -> list[Candidate]:
    """Every number expression in `text[start:end]` that may be a claim, in text
    order; positions are offsets in `text`."""
    rx = candidate_regex(rules)
    noun_rx = _noun_head(rules) if rules.noun_units else None
    found: list[Candidate] = []
    for m in rx.finditer(text, start, len(text) if end is None else end):
        run = m.group("run")
        approx = "exact"
        unit: Unit | None
        if m.group("den2") is not None:
            den2, numer2 = parse_number(m.group("den2")), parse_number(m.group("numer2"))
            if not den2 or numer2 is None:
                continue
            value = normalize_decimal((numer2 * 100 / den2).quantize(Decimal("0.0001")))
            unit = rules.units.get("%")
            numeral = "chinese"
            kind_id = "fraction"
        elif m.group("fan") is not None:
            times = int(parse_number(m.group("fan")) or 1)  # 翻两番: 2
            value = Decimal(100 * (2**times - 1))
            unit = rules.units.get("%")
            numeral = "chinese"
            kind_id = "fraction"
            if m.group("fanapprox"):
                approx = "under"  # 翻了近一番
        elif m.group("word") is not None:
            number, unit_word = rules.word_numbers[m.group("word")]
            value = Decimal(number)
            unit = rules.units.get(unit_word)
            numeral = "chinese"
            kind_id = "word"
        elif m.group("cheng") is not None:
            value = Decimal(10 * int(parse_number(m.group("cheng")[0]) or 0))
            unit = rules.units.get("%")
            numeral = "chinese"
            kind_id = "fraction"
        elif m.group("den") is not None:
            den, numer = parse_number(m.group("den")), parse_number(m.group("numer"))
            if not den or numer is None:
                continue
            value = normalize_decimal((numer * 100 / den).quantize(Decimal("0.0001")))
            unit = rules.units.get("%")
            numeral = "chinese" if is_chinese_numeral(m.group(0)) else "arabic"
            kind_id = "fraction"
        elif m.group("vague") is not None:
            value = Decimal(rules.vague[m.group("vague")])
            if m.group("vmult"):
                value *= rules.multipliers[m.group("vmult")]
            approx = "over"
            unit = rules.units.get(m.group("unit")) if m.group("unit") else None
            numeral = "chinese"
            kind_id = "vague"
        else:
            assert run is not None
            parsed = parse_number(run)
            if parsed is None:
                continue
            value = parsed
            numeral = "chinese" if is_chinese_numeral(run) else "arabic"
            unit = rules.units.get(m.group("unit")) if m.group("unit") else None
            kind_id = numeral
        if m.group("suffix"):
            approx = rules.approx_suffix[m.group("suffix")]
        if m.group("mult2"):
            value *= rules.multipliers[m.group("mult2")]
        if unit is not None and unit.needs_arabic and numeral == "chinese":
            unit = None
        if kind_id == "word" or m.group("fanall") or m.group("den2"):
            end = max(map(m.end, ("numer2", "fanall", "word")))  # the word is the unit
        elif m.group("unit") and unit is not None:
            end = m.end("unit")  # the usual case: the expression ends with its unit
        else:
            end = max(map(m.end, _BEFORE_UNIT))
        after_end = end
        if unit is None:
            # 13万余爱心人士: a number with a multiplier or a marker may take its unit
            # from the noun that follows
            has_scale = bool(
                m.group("suffix")
                or m.group("mult2")
                or (run and rules.phrases["scaled"].search(run))
            )
            nm = noun_rx.match(text, end) if noun_rx and has_scale else None
            if nm is not None:
                unit = rules.noun_units[nm.group("noun")]
                kind_id += "+noun"
            else:
                # 新发展会员39.08万,…: the noun right before a scaled number lends
                # its unit, when nothing but punctuation follows the number
                before = _noun_before(text, m.start(), rules) if has_scale else None
                partner = None
                if before is None and run is not None and numeral == "arabic":
                    partner = _range_partner(text, end, rules)
                bracketed = _bracketed_unit(text, end, rules) if before is None else None
                if bracketed is not None:
                    unit = bracketed  # 起薪点有8,000(元): the unit a reporter added
                    kind_id += "+bracketed"
                elif partner is not None:
                    # 1.3至1.4万元, 656、459和446个: the bound or item takes the
                    # unit (and the multiplier) of the figure it is joined to
                    unit, factor, is_range = partner
                    if factor != 1 and not rules.phrases["scaled"].search(run):
                        value *= factor
                    if is_range and approx == "exact":
                        approx = "over"
                    kind_id += "+range" if is_range else "+list"
                elif before is None or (end < len(text) and is_han(text[end])):
                    continue
                else:
                    unit = before
                    kind_id += "+noun_before"
        elif m.group("after") and (m.group("unit") or m.group("cheng")):
            approx = rules.approx_after[m.group("after")]
            after_end = m.end("after")
        prefix = _prefix_approx(text, m.start(), rules)
        if prefix is not None and approx == "exact":
            approx = prefix
        if approx == "exact" and rules.phrases["range_before"].search(
            text, max(0, m.start() - 16), m.start()
        ):
            approx = "under"  # the upper bound of 1至2转, 9.8至10.6小时
        expr = text[m.start() : after_end]
        if _excluded(text, m.start(), expr, after_end, value, numeral, rules):
            continue
        found.append(
            Candidate(
                start=m.start(),
                end=end,
                value=normalize_decimal(value),
                unit=unit,
                approx=approx,
                numeral=numeral,
                rule_id=f"{kind_id}:{unit.rule_id}",
                after_end=after_end,
            )
        )
    return filter_spans(found)


# How many figures a list may chain before the one that carries the unit.
_MAX_CHAIN = 6


@cache
def _bracket_regex(rules: RuleSet) -> re.Pattern[str]:
    return re.compile(rf"[(（](?P<unit>{rules.unit_pattern})[)）]")


def _bracketed_unit(text: str, end: int, rules: RuleSet) -> Unit | None:
    """The unit in brackets right after a bare number: 8,000(元), 一百几十(人)."""
    m = _bracket_regex(rules).match(text, end)
    return rules.units.get(m.group("unit")) if m else None


def _range_partner(text: str, end: int, rules: RuleSet) -> tuple[Unit, int, bool] | None:
    """The unit, multiplier and range-ness lent by the figure that a bare
    number is joined to: 1.3至1.4万元 -> (元, 10000, range); 656、459和446个 ->
    (个, 1, list). Follows a list up to a few items."""
    rx = candidate_regex(rules)
    is_range = False
    pos = end
    for i in range(_MAX_CHAIN):
        j = rules.phrases["figure_join"].match(text, pos)
        if j is None or j.end() == pos:
            return None
        if i == 0:
            is_range = j.group("range") is not None
        m = rx.match(text, j.end())
        if m is None or m.group("run") is None or not m.group("run")[0].isdigit():
            return None
        unit = rules.units.get(m.group("unit")) if m.group("unit") else None
        if unit is not None:
            if unit.unit_class in rules.phrase_words["year_classes"]:
                return None  # 2019-2021年: a span of years, not two durations
            scaled = rules.phrases["scaled"].findall(m.group("run"))
            if m.group("mult2"):
                scaled.append(m.group("mult2"))
            factor = 1
            for w in scaled:
                factor *= rules.multipliers[w]
            return unit, factor, is_range
        pos = m.end("run")
    return None


def filter_spans(cands: list[Candidate]) -> list[Candidate]:
    """Settle overlapping candidates: the longest wins, then the earliest.
    Returned in text order. O(n log n): taken spans are kept sorted and only the
    neighbours of a new span can overlap it."""
    starts: list[int] = []
    spans: dict[int, int] = {}
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-c.length, c.start)):
        i = bisect_left(starts, c.start)
        if i < len(starts) and starts[i] < c.end:
            continue  # the next taken span starts inside this one
        if i > 0 and spans[starts[i - 1]] > c.start:
            continue  # the previous taken span runs into this one
        insort(starts, c.start)
        spans[c.start] = c.end
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)
