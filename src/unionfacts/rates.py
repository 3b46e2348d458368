"""The type and direction of a rate, and of a change in a count or amount.

A percentage right after a growth word (增长3%, 比上年下降0.1%) is a growth
rate, up or down; after a share word (占…比重, 占比) a share; otherwise a level
in itself (失业率5.5%, 城镇化率65.2%). A count or amount right after a growth
word (比上年末增加2275万人) is a change, not a level. The words are cues in
rules/cues.yaml (`sets: rate`); only the clause of the number is read.
"""

from __future__ import annotations

from unionfacts.extract import Candidate
from unionfacts.layout import Layout
from unionfacts.models import Direction, RateType
from unionfacts.rules import RuleSet

# A growth word governs the number only when this close before it
# (增长3%, 比上年增长[24]5.5%); farther away it belongs to another figure.
_GROWTH_REACH = 3


def rate_of(
    text: str, layout: Layout, cand: Candidate, kind: str, rules: RuleSet
) -> tuple[RateType | None, Direction | None]:
    rx = rules.rate_regex
    if rx is None:
        return None, None
    s_start, _ = layout.sentence_span(cand.start)
    c_start = layout.clause_start(cand.start, s_start)
    growth: str | None = None
    share = False
    for m in rx.finditer(text, c_start, cand.start):
        cue = rules.rate_cues[m.group(0)]
        if cue == "none":
            continue
        if cue == "share":
            share = True
        elif cand.start - m.end() <= _GROWTH_REACH:
            growth = cue
    direction: Direction | None = "up" if growth == "up" else "down" if growth == "down" else None
    if kind == "rate":
        if growth is not None:
            return "growth", direction
        if share:
            return "share", None
        return "level", None
    if growth is not None:
        return "change", direction
    return None, None
