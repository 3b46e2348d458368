"""Where things are in a normalized document: lines (paragraphs), sentences,
clauses, headings, and the time expressions found in them.

The resolver asks this map questions such as "which sentence holds position
p" or "which time expression comes last before p in its paragraph"; answers
are found by bisection over offsets computed once per document.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from unionfacts.normalize import Normalized, is_title_line
from unionfacts.rules import PeriodExpr, RuleSet

SENTENCE_END = "。！？!?"
CLAUSE_BREAK = "，,；;：:。！？!?\n"

# Characters a sentence may span before it is cut at clause marks (see
# Layout._runaway_window); real sentences of reports are far shorter.
MAX_SENTENCE = 400
# Characters a line (paragraph) may span before it is split the same way; far
# more than any paragraph a person writes.
MAX_LINE = 4000

_LINE = re.compile(r"[^\n]+")
_CLAUSE_BREAK_RX = re.compile("[" + re.escape(CLAUSE_BREAK) + "]")
# A time expression this close to its line's start opens the paragraph.
_OPENS = 8
_SENT_END = re.compile(r"[。！？!?]+[”’」』\"')）]*")


@dataclass(frozen=True, slots=True)
class PeriodHit:
    start: int
    end: int
    expr: PeriodExpr
    groups: dict[str, str]  # group name (without the index suffix) -> text
    in_heading: bool


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    is_heading: bool


class Layout:
    def __init__(self, norm: Normalized, rules: RuleSet, genre: str | None = None) -> None:
        text = norm.text
        self.text = text
        self._sentence_cache: dict[int, tuple[int, int]] = {}
        # every clause break, once: clause bounds are then two bisections
        # (arrays, not lists: a 50 MB report has millions of breaks)
        self._breaks = array("q", (m.start() for m in _CLAUSE_BREAK_RX.finditer(text)))
        self.lines: list[Line] = []
        for m in _LINE.finditer(text):
            s, e = m.span()
            if e - s > MAX_LINE:
                self.lines.extend(self._split_runaway(s, e))
                continue
            body = text[s:e].strip()
            if not body:
                continue
            heading = (
                (s in norm.heading_lines)
                or is_title_line(body)
                or (body.startswith("【") and body.endswith("】"))
            )
            self.lines.append(Line(s, e, heading))
        self._line_starts = array("q", (ln.start for ln in self.lines))
        ends = [m.end() for m in _SENT_END.finditer(text)]
        self._sentence_ends = array("q", ends)
        self.period_hits = self._find_periods(rules, genre)
        self._hit_starts = [h.start for h in self.period_hits]
        self._heading_hits = [h for h in self.period_hits if h.in_heading]
        self._heading_hit_starts = [h.start for h in self._heading_hits]
        self._heading_line_starts = array("q", (ln.start for ln in self.lines if ln.is_heading))
        # time expressions that open a paragraph (2022年是…, 各位代表,过去五年…)
        self._opening_hits = [
            h
            for h in self.period_hits
            if not h.in_heading and h.start - self.line_at(h.start).start <= _OPENS
        ]
        self._opening_starts = [h.start for h in self._opening_hits]

    def _split_runaway(self, start: int, end: int) -> list[Line]:
        """A line longer than MAX_LINE (an OCR or PDF dump: a whole report on
        one line) as paragraphs of at most that size, each ended at the last
        clause mark in its second half, else cut there. Searches that look back
        through a paragraph then do bounded work per number."""
        out = []
        while end - start > MAX_LINE:
            hi = start + MAX_LINE
            i = bisect_right(self._breaks, hi - 1) - 1  # the last break before hi
            cut = self._breaks[i] + 1 if i >= 0 and self._breaks[i] >= hi - MAX_LINE // 2 else hi
            out.append(Line(start, cut, False))
            start = cut
        out.append(Line(start, end, False))
        return out

    # ---- structure ----------------------------------------------------------

    def line_at(self, pos: int) -> Line:
        i = bisect_right(self._line_starts, pos) - 1
        return self.lines[max(i, 0)]

    def sentence_span(self, pos: int) -> tuple[int, int]:
        """The sentence holding `pos`, bounded by its line (memoized: every
        stage of the resolver asks for the sentence of each number)."""
        span = self._sentence_cache.get(pos)
        if span is None:
            span = self._sentence_cache[pos] = self._sentence_span(pos)
        return span

    def _sentence_span(self, pos: int) -> tuple[int, int]:
        line = self.line_at(pos)
        i = bisect_right(self._sentence_ends, pos)
        start = self._sentence_ends[i - 1] if i > 0 else 0
        end = self._sentence_ends[i] if i < len(self._sentence_ends) else len(self.text)
        start, end = max(start, line.start), min(end, line.end)
        if end - start > MAX_SENTENCE:
            start, end = self._runaway_window(pos, start, end)
        return start, end

    def _runaway_window(self, pos: int, start: int, end: int) -> tuple[int, int]:
        """A "sentence" longer than MAX_SENTENCE (OCR and PDF dumps lack 。) is
        cut to the clauses around `pos` that fit in a window of that size,
        at clause marks where there are some, else at the window's edges.
        Every stage that scans a sentence then does bounded work per number,
        and ingest stays linear in the length of the line."""
        half = MAX_SENTENCE // 2
        lo, hi = max(start, pos - half), min(end, pos + half)
        first = bisect_left(self._breaks, lo)  # the first break at or after lo
        if first < len(self._breaks) and self._breaks[first] < pos:
            lo = self._breaks[first] + 1
        last = bisect_right(self._breaks, hi) - 1  # the last break at or before hi
        if last >= 0 and self._breaks[last] >= pos:
            hi = self._breaks[last]
        return lo, hi

    def previous_sentence_span(self, pos: int) -> tuple[int, int] | None:
        s, _ = self.sentence_span(pos)
        line = self.line_at(pos)
        if s <= line.start:
            return None
        return self.sentence_span(s - 1)

    def clause_start(self, pos: int, floor: int) -> int:
        """First position of the clause holding `pos` (not before `floor`)."""
        i = bisect_left(self._breaks, pos) - 1  # the last break before pos
        return max(floor, self._breaks[i] + 1) if i >= 0 else floor

    def clause_end(self, pos: int, ceiling: int) -> int:
        """The break that ends the clause holding `pos` (not after `ceiling`)."""
        i = bisect_left(self._breaks, pos)
        return min(ceiling, self._breaks[i]) if i < len(self._breaks) else ceiling

    # ---- time expressions -------------------------------------------------

    def _find_periods(self, rules: RuleSet, genre: str | None = None) -> list[PeriodHit]:
        """Every time expression, leftmost-longest. Each pattern scans the text on
        its own: one big alternation is several times slower in Python's re."""
        text = self.text
        found: list[tuple[int, int, int, re.Match[str]]] = []
        for idx, rx in enumerate(rules.period_patterns):
            needs = rules.periods[idx].requires
            genres = rules.periods[idx].genres
            if genres and genre not in genres:
                continue  # 现设有 dates a level only in news, read against its own date
            if needs and not any(word in text for word in needs):
                continue  # no 疫情 in the text: no need to look for 疫情以来
            for m in rx.finditer(text):
                if m.end() > m.start():
                    found.append((m.start(), -(m.end() - m.start()), idx, m))
        found.sort(key=lambda f: f[:3])
        hits: list[PeriodHit] = []
        last_end = -1
        for start, _neg_len, idx, m in found:
            if start < last_end:
                continue
            if _inside_name(text, m.start(), m.end()):
                continue  # 《…2021年教育培训计划》, (2023-2025年): part of a name
            last_end = m.end()
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            line = self.line_at(m.start()) if self.lines else None
            hits.append(
                PeriodHit(
                    m.start(), m.end(), rules.periods[idx], groups, bool(line and line.is_heading)
                )
            )
        return hits

    def hits_between(self, start: int, end: int) -> list[PeriodHit]:
        i = bisect_right(self._hit_starts, start - 1)
        out = []
        while i < len(self.period_hits) and self.period_hits[i].start < end:
            h = self.period_hits[i]
            if h.end <= end and not h.in_heading:
                out.append(h)
            i += 1
        return out

    def last_opening_hit_before(
        self, pos: int, skip: Callable[[PeriodHit], bool] | None = None
    ) -> PeriodHit | None:
        """The last time expression opening a paragraph before `pos`, passing
        over those `skip` says reach no further than their own paragraph."""
        i = bisect_right(self._opening_starts, pos - 1) - 1
        while i >= 0 and skip is not None and skip(self._opening_hits[i]):
            i -= 1
        return self._opening_hits[i] if i >= 0 else None

    def opens_paragraph(self, hit: PeriodHit) -> bool:
        """Whether a time expression opens its paragraph (过去五年,…, ——这五年,…)."""
        return not hit.in_heading and hit.start - self.line_at(hit.start).start <= _OPENS

    def last_heading_line_before(self, pos: int) -> int:
        """Start of the last heading line at or before `pos` (-1 when none)."""
        i = bisect_right(self._heading_line_starts, pos) - 1
        return self._heading_line_starts[i] if i >= 0 else -1

    def last_heading_hit_before(self, pos: int) -> PeriodHit | None:
        i = bisect_right(self._heading_hit_starts, pos) - 1
        return self._heading_hits[i] if i >= 0 else None


def _inside_name(text: str, start: int, end: int) -> bool:
    """True inside 《…》 or a parenthesis right after a plan's name."""
    open_title = text.rfind("《", max(0, start - 60), start)
    if open_title >= 0 and text.rfind("》", open_title, start) < 0:
        return True
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return before in ("(", "（") and after in (")", "）")
