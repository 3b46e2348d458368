"""From candidates to claims: metric, period, scope, kind, modality, part-of.

Each attribute is read from the text around the number, nearest context
first: the clause, the sentence, the paragraph, the section heading, then the
document (its year, date, review span and home scope). The rules say which
words matter; this module says only how near they must be.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from unionfacts.extract import Candidate
from unionfacts.keys import metric_key, point_rate, yearly_share
from unionfacts.layout import Layout, PeriodHit
from unionfacts.metric import MetricReading, is_noun, read_metric, tag
from unionfacts.models import Claim, DocumentMeta
from unionfacts.normalize import Normalized
from unionfacts.numbers import parse_number
from unionfacts.rates import rate_of
from unionfacts.rules import RuleSet
from unionfacts.tables import (
    Cell,
    Tables,
    cell_hits,
    cell_metric,
    note_hits,
    table_kind,
    table_parts,
)

_EVENT_TYPES = {"day", "day_range", "month", "month_range"}
_NEXT_ITEM = re.compile(r"[、\d]")
_DIGITS = re.compile(r"\d")
_SPAN_TYPES = {"past_years", "since", "since_fixed", "review", "fixed_span"}
# 今年, 去年, 前年, 明年: years counted from the document's current year
_RELATIVE_YEARS = {"this_year": 0, "last_year": -1, "year_before_last": -2, "next_year": 1}
_ASOF_TYPES = {"asof_now", "asof_year_end", "asof_month", "year_end", "year_start"}


@dataclass(frozen=True)
class DocTime:
    year: int | None  # the year under review
    date: date | None
    review: tuple[int, int] | None  # first and last year of the span under review
    # the year 今年 names: a plan's planned year, else the year of the date
    current: int | None = None
    dated: bool = False  # news: read against its own date (a month, not a year)

    def asof_now(self) -> str:
        if self.date:
            return f"asof:{self.date.year}-{self.date.month:02d}"
        return f"asof:{self.year}" if self.year else "?"

    def review_span(self) -> str:
        if self.review:
            a, b = self.review
            return f"{a}..{b}" if a != b else str(a)
        if self.dated and self.date:
            return f"{self.date.year}-{self.date.month:02d}"
        return str(self.year) if self.year else "?"

    def asof_review_end(self) -> str:
        """A level the report gives without a date: at the end of the year it
        reviews when it was issued after that year (a 政府工作报告 of March 2023
        on 2022), else at its own date."""
        if self.year and self.date and self.date.year > self.year and not self.dated:
            return f"asof:{self.year}"
        return self.asof_now()

    def default(self, kind: str) -> str:
        if kind == "stock":
            return self.asof_review_end()
        return self.review_span()


def _num(text: str | None) -> int | None:
    if not text:
        return None
    v = parse_number(text)
    return int(v) if v is not None else None


def _span_years(groups: dict[str, str]) -> int | None:
    """How many years a past_years expression names (过去五年, 五年来, 十年增加)."""
    return _num(groups.get("n") or groups.get("n2") or groups.get("n3"))


def _review_from(hit: PeriodHit, year: int | None) -> tuple[int, int] | None:
    g = hit.groups
    if hit.expr.type == "since" and year:
        y = int(g["y"])
        return (y, max(y, year))
    if hit.expr.type == "past_years" and year:
        n = _span_years(g)
        if n and 1 < n <= 30:
            return (year - n + 1, year)
    return None


_CALENDAR_TYPES = {"year", "half", "quarter", "month", "year_range", "month_range"}
# calendar times and events: what a paragraph's opening span does not hand on to
_POINT_TYPES = _CALENDAR_TYPES | _EVENT_TYPES | {"day"}


def doc_time(layout: Layout, meta: DocumentMeta, rules: RuleSet) -> DocTime:
    """The document's year, date and the span it reviews. A report reviews a
    span (过去五年, 2016年至今) when it says so before it names any calendar
    period of its own; a yearly digest that mentions 过去五年 in passing does not."""
    review = None
    for hit in layout.period_hits:
        if hit.expr.type in _CALENDAR_TYPES:
            break
        review = _review_from(hit, meta.year)
        if review:
            break
    current = meta.target_year or (meta.date.year if meta.date else meta.year)
    genre = next((g for g in rules.frame.genres if g.id == meta.genre), None)
    dated = genre is not None and genre.frame == "dated"
    return DocTime(meta.year, meta.date, review, current, dated)


def period_of(hit: PeriodHit, kind: str, t: DocTime, rules: RuleSet) -> tuple[str, bool]:
    """Resolve a time expression for a claim of `kind`; also say whether the
    expression marks a target (到2025年底)."""
    g = hit.groups
    typ = hit.expr.type
    y = int(g["y"]) if g.get("y") else t.year
    if y is None and typ not in ("asof_now", "review", "since_fixed", "fixed_span"):
        return "?", False
    stock = kind == "stock"
    if typ == "year":
        return (f"asof:{y}" if stock else f"{y}"), False
    if typ == "half":
        h = 1 if g.get("h") == rules.phrase_word["first_half"] else 2
        return (f"asof:{y}-{6 * h:02d}" if stock else f"{y}-H{h}"), False
    if typ == "quarter":
        q = _num(g.get("q")) or 1
        return (f"asof:{y}-{3 * q:02d}" if stock else f"{y}-Q{q}"), False
    if typ == "month":
        m = int(g["m"])
        return (f"asof:{y}-{m:02d}" if stock else f"{y}-{m:02d}"), False
    if typ == "day":
        m, d = int(g["m"]), int(g["d"])
        return (f"asof:{y}-{m:02d}-{d:02d}" if stock else f"{y}-{m:02d}-{d:02d}"), False
    if typ == "day_range":
        m, d = int(g["m"]), int(g["d"])
        m2 = int(g["m2"]) if g.get("m2") else m
        d2 = int(g["d2"])
        if stock:
            return f"asof:{y}-{m2:02d}-{d2:02d}", False
        return f"{y}-{m:02d}-{d:02d}..{y}-{m2:02d}-{d2:02d}", False
    if typ == "month_range":
        m, m2 = int(g["m"]), int(g["m2"])
        y2 = int(g["y2"]) if g.get("y2") else y
        return (f"asof:{y2}-{m2:02d}" if stock else f"{y}-{m:02d}..{y2}-{m2:02d}"), False
    if typ == "year_range":
        y2 = int(g["y2"])
        return (f"asof:{y2}" if stock else f"{y}..{y2}"), False
    if typ == "since":
        assert y is not None
        last = max(y, t.year or y)
        return (t.asof_review_end() if stock or kind == "rate" else f"{y}..{last}"), False
    if typ == "since_fixed":
        start = hit.expr.start or "?"
        end = f"{t.date.year}-{t.date.month:02d}" if t.date else (str(t.year) if t.year else None)
        if stock or kind == "rate":
            return t.asof_now(), False
        return (f"{start}..{end}" if end else "?"), False
    if typ == "past_years":
        n = _span_years(g)
        if not n or not t.year:
            return t.default(kind), False
        if stock:
            return t.asof_review_end(), False
        return (f"{t.year - n + 1}..{t.year}" if n > 1 else str(t.year)), False
    if typ == "review":
        return t.default(kind), False
    if typ == "asof_now":
        return (t.review_span() if kind == "flow" else t.asof_now()), False
    if typ == "asof_year_end":
        # 截至2020年底…流失率约为8%: a rate of the year's flows is the year's
        return (f"{y}" if kind in ("flow", "rate") else f"asof:{y}"), False
    if typ == "asof_month":
        m = int(g["m"])
        return (f"{y}-01..{y}-{m:02d}" if kind == "flow" else f"asof:{y}-{m:02d}"), False
    if typ == "quarters_to_date":
        q = _num(g.get("q")) or 1
        return (f"asof:{y}-{3 * q:02d}" if stock else f"{y}-Q1..{y}-Q{q}"), False
    if typ == "fixed_span":
        a, b = hit.expr.start or "?", hit.expr.end or "?"
        return (f"asof:{b}" if stock else f"{a}..{b}"), False
    if typ == "year_to_date":
        if stock:
            return t.asof_now(), False
        if t.date and t.year == t.date.year:
            return f"{t.year}-01-01..{t.date.isoformat()}", False  # 今年以来, up to the report
        return (str(t.year) if t.year else "?"), False
    if typ == "current_year":
        return (f"asof:{t.year}" if stock else f"{t.year}") if t.year else "?", False
    if typ == "past_months":
        # 在不足4个月之内 in an article of 2021-05: 2021-02..2021-05
        n = _num(g.get("n"))
        if t.date is None or not n or not 1 <= n <= 36:
            return t.default(kind), False
        end = f"{t.date.year}-{t.date.month:02d}"
        if stock:
            return f"asof:{end}", False
        first = t.date.year * 12 + t.date.month - n  # months since year 0, zero-based
        return f"{first // 12}-{first % 12 + 1:02d}..{end}", False
    if typ == "weekday":
        # 周六 in an article of Tuesday 2021-05-18: the Saturday before, 2021-05-15
        if t.date is None:
            return t.default(kind), False
        weekday = (_num(g.get("wd")) or 7) - 1  # 周一 … 周六; 周日, 星期天: 7
        back = (t.date.weekday() - weekday) % 7
        day = (t.date - timedelta(days=back)).isoformat()
        return (f"asof:{day}" if stock else day), False
    if typ in _RELATIVE_YEARS:
        if t.current is None:
            return "?", False
        yy = t.current + _RELATIVE_YEARS[typ]
        if g.get("m"):
            m = int(g["m"])
            return (f"asof:{yy}-{m:02d}" if stock else f"{yy}-{m:02d}"), False
        return (f"asof:{yy}" if stock else f"{yy}"), False
    if typ == "fiscal_year":
        assert y is not None
        first = int(hit.expr.start or "1")
        if first == 1:
            return (f"asof:{y}" if stock else str(y)), False
        fy_end = f"{y + 1}-{first - 1:02d}"
        return (f"asof:{fy_end}" if stock else f"{y}-{first:02d}..{fy_end}"), False
    if typ == "first_months":
        n = _num(g.get("n"))
        if not n or t.current is None or not 1 <= n <= 12:
            return "?", False
        yy = t.current
        return (f"asof:{yy}-{n:02d}" if stock else f"{yy}-01..{yy}-{n:02d}"), False
    if typ == "next_years":
        n = _num(g.get("n"))
        if not n or not t.year:
            return "?", True
        return (f"asof:{t.year + n}" if stock else f"{t.year + 1}..{t.year + n}"), True
    if typ == "year_start":
        return (f"asof:{t.year}-01" if t.year else "?"), False
    if typ == "year_end":
        return ((f"asof:{t.year}-12" if stock else f"{t.year}") if t.year else "?"), False
    if typ == "target_year_end":
        now = t.date.year if t.date else t.year
        if now is not None and y is not None and y < now:
            return (f"asof:{y}" if stock else f"{y}"), False  # 到2000年 in 2021: past, no target
        if kind == "flow" and t.year and t.year < (y or 0):
            return f"{t.year + 1}..{y}", True  # 到2028年 in a report of 2023: 2024..2028
        return f"asof:{y}", True
    return "?", False


def _paragraph_span(hit: PeriodHit) -> bool:
    """A span whose reach is its paragraph: it dates no paragraph after it."""
    return hit.expr.type in _SPAN_TYPES and hit.expr.strength != "section"


class Resolver:
    """Resolves the candidates of one document, in text order."""

    def __init__(
        self,
        norm: Normalized,
        layout: Layout,
        rules: RuleSet,
        meta: DocumentMeta,
        original: str = "",
        tables: Tables | None = None,
    ):
        self.tables = tables
        self.norm = norm
        self.original = original
        self.text = norm.text
        self.layout = layout
        self.rules = rules
        self.meta = meta
        self.time = doc_time(layout, meta, rules)
        self.genre = rules.genre(meta.genre)
        self.kind_cues, self.cue_regex = rules.kind_cues_for(self.genre)
        # the modality each heading sets for its section (下半年重点工作 -> target),
        # carried forward from the last heading that set one
        self._section_starts: list[int] = []
        self._section_modality: list[str] = []
        current = "actual"
        for line in layout.lines:
            if line.is_heading:
                htext = self.text[line.start : line.end]
                for word, value in rules.heading_modality.items():
                    if word in htext:
                        current = value
                        break
                self._section_starts.append(line.start)
                self._section_modality.append(current)

    # ---- time -----------------------------------------------------------

    def time_hit(self, cand: Candidate, kind: str | None = None) -> PeriodHit | None:
        hit = self._time_hit(cand, kind)
        if hit is not None and hit.expr.type == "current_year":
            # 全年 under a heading 二、2025年工作安排 is 2025, not the report's year
            heading = self.layout.last_heading_hit_before(cand.start)
            if heading is not None and heading.expr.type == "year":
                return heading
        return hit

    def _time_hit(self, cand: Candidate, kind: str | None) -> PeriodHit | None:
        lay = self.layout
        s_start, s_end = lay.sentence_span(cand.start)
        line = lay.line_at(cand.start)
        in_sentence = [h for h in lay.hits_between(s_start, cand.start)]
        if in_sentence:
            last = in_sentence[-1]
            # ——这五年,…2022年达到8.74万亿元,年均增长5.4%: an average over the
            # years of the span that opens the paragraph, not of the one year
            if last.expr.type in _POINT_TYPES and self._average(cand, s_start):
                opening = self._paragraph_opening_span(line.start, cand.start)
                if opening is not None:
                    return opening
            return last
        # 47个展区……2023年7月28日至30日,北京展览馆: the event's date closes its sentence
        after = [h for h in lay.hits_between(cand.end, s_end) if h.expr.type in _EVENT_TYPES]
        if self.genre is not None and self.genre.time_reach == "sentence":
            # news moves between times from one sentence to the next (截至2017年底,
            # 共约1,200人。公司指,全职船员共有860多名): a sentence without a
            # time of its own is read against the article's date
            return after[0] if after else None
        # 截至目前 in an earlier sentence dates its levels, not the flows after it
        in_para = [
            h
            for h in lay.hits_between(line.start, s_start)
            if h.expr.strength != "sentence" and not (kind == "flow" and h.expr.type in _ASOF_TYPES)
        ]
        # ——这五年,…,2022年达到8.74万亿元。…: in a paragraph that a span opens, a
        # year or date further on dates its own sentence only
        if in_para and self._paragraph_opening_span(line.start, s_start) is in_para[0]:
            in_para = [in_para[0]] + [h for h in in_para[1:] if h.expr.type not in _POINT_TYPES]
        if in_para:
            return in_para[-1]
        if after:
            return after[0]
        heading = lay.last_heading_hit_before(cand.start)
        if heading is not None and heading.expr.type in ("day", "day_range"):
            heading = None  # a dated byline, not the period of the section
        # a span opening a paragraph (过去五年,…) dates the paragraphs after it,
        # until the next heading or the next paragraph that opens with a time
        # of its own (2022年是…), which hands back to the section's time
        # (a span of paragraph reach, 脱贫攻坚任务胜利完成, dates its own paragraph only)
        opening = lay.last_opening_hit_before(line.start, _paragraph_span)
        if (
            opening is not None
            and opening.expr.type in _SPAN_TYPES
            and opening.start > lay.last_heading_line_before(cand.start)
        ):
            return opening
        return heading

    def _average(self, cand: Candidate, s_start: int) -> bool:
        """年均增长5.4%: a yearly average stands before the figure in its clause."""
        c_start = self.layout.clause_start(cand.start, s_start)
        found = self.rules.phrases["average_before"].search(self.text, c_start, cand.start)
        return found is not None

    def _paragraph_opening_span(self, line_start: int, pos: int) -> PeriodHit | None:
        """The span that opens the paragraph (——这五年,…), if one does."""
        hits = self.layout.hits_between(line_start, pos)
        if hits and hits[0].expr.type in _SPAN_TYPES and self.layout.opens_paragraph(hits[0]):
            return hits[0]
        return None

    # ---- kind -----------------------------------------------------------

    def kind_of(self, cand: Candidate, metric_kind: str | None, hit: PeriodHit | None) -> str:
        if cand.unit.kind:
            return cand.unit.kind
        if self.genre is not None and cand.unit.unit in self.genre.level_units:
            return "stock"  # news: the hours of a shift, the days of training, at its date
        if metric_kind:
            return metric_kind
        s_start, _ = self.layout.sentence_span(cand.start)
        before = self.text[s_start : cand.start]
        if cand.unit.default_kind is None and (
            before.endswith(self.rules.level_from)
            or (
                before.endswith(self.rules.level_to)
                and any(w in before[-16:] for w in self.rules.level_from)
            )
        ):
            # 由15个减少到9个: two levels; money (补助标准从450元提高到610元)
            # is read by its cues (余额 is a level, a yearly standard a flow)
            return "stock"
        if cand.unit.default_kind is None and self.rules.phrases["level_reached_before"].search(
            self.text, self.layout.clause_start(cand.start, s_start), cand.start
        ):
            return "stock"  # 审批时间压缩到不超过120个工作日: the level a change reached
        c_start = self.layout.clause_start(cand.start, s_start)
        last = None
        weak = False  # the last cue is a weak level cue (有, 达到)
        flow_in_clause = False
        stock_in_clause = False
        flow_at = -1
        # a genre's yearly amounts (留抵退税超过2.4万亿元) stay flows after a weak cue
        flow_unit = self.genre is not None and cand.unit.unit in self.genre.flow_units
        stock_seen = False  # a level word (余额, 规模) stands before the number in its clause
        for m in self.cue_regex.finditer(before):
            cue = self._kind_cue(m.group(0), cand)
            if cue is None or cue == "neutral":
                continue
            if cue in ("flow", "change") and self.rules.phrases["class_of_after"].match(
                before, m.end()
            ):
                continue  # 下降的为53个: the count of a class (those that fell), no flow
            if cue == "stock" and s_start + m.start() >= c_start:
                stock_seen = True
            if cue in ("flow", "change") and s_start + m.start() >= c_start:
                flow_in_clause = True
                flow_at = s_start + m.start()
            if cue == "stock" and s_start + m.start() >= c_start:
                stock_in_clause = True
            if cue == "level":
                if s_start + m.start() < c_start:
                    continue  # a weak cue reaches only its own clause
                # …and its own list item: 新建5G基站1万个、总数突破3万个
                item = _last_item_break(self.text, c_start, s_start + m.start())
                if flow_in_clause and flow_at < item:
                    flow_in_clause = False
                # money 达到 a figure is what was paid or earned (时薪约有65元,
                # 开支各达1.2亿元), unless a level word named it (贷款余额达到…);
                # so are a genre's yearly amounts (flow_units)
                money_flow = cand.unit.default_kind == "flow" and not stock_seen
                flow = flow_in_clause or money_flow or (flow_unit and not stock_in_clause)
                cue = "flow" if flow else "stock"
                weak = cue == "stock"
            else:
                weak = False
            last = cue
        if last is None and self.rules.phrases["population_after"].match(self.text, cand.after_end):
            return "stock"  # 在监测的339个地级及以上城市中: the group reported on
        if last == "change":
            return "flow"  # 截至2022年底…,比上年末增加5.3万个: a change, whatever the date
        if (
            hit is not None
            and hit.expr.type in _ASOF_TYPES
            and hit.start >= s_start
            and not (last == "flow" and cand.unit.default_kind == "flow")
        ):
            return "stock"  # …but 目前…月入不足1.6万元 is still pay, a flow
        if last == "stock" and self._flow_verb_after(cand, clause=weak):
            return "flow"  # 现有…N人获得…称号, 有300个班组参赛: counted by an event
        if weak and hit is not None and hit.expr.type == "year_range" and hit.start >= s_start:
            return "flow"  # 2001年至2020年间约有4,000名船员入职: what the span brought
        return last or cand.unit.default_kind or (self.genre.default_kind if self.genre else "flow")

    def _kind_cue(self, word: str, cand: Candidate) -> str | None:
        """The kind a cue word sets for this figure: pay words (月薪, 底薪) set
        the kind of money only, not of the people they describe (日薪船员仍有900人)."""
        units = self.rules.kind_cue_units.get(word)
        if units is not None and cand.unit.unit not in units:
            return None
        return self.kind_cues.get(word)

    def _flow_verb_after(self, cand: Candidate, clause: bool = False) -> bool:
        """A flow verb right after the number (or, for a weak level cue, anywhere
        in the rest of its clause: 有390,800名职工参加互助保障)."""
        if not clause:
            m = self.cue_regex.match(self.text, cand.after_end)
            return m is not None and self._kind_cue(m.group(0), cand) in ("flow", "change")
        _, s_end = self.layout.sentence_span(cand.start)
        end = self.layout.clause_end(cand.after_end, s_end)
        # up to the next item of a list (、) or the next number: 增加到23.8万亿元、
        # 年均增长24% — the growth is another figure's
        stop = _NEXT_ITEM.search(self.text, cand.after_end, end)
        end = stop.start() if stop else end
        return any(
            self._kind_cue(m.group(0), cand) in ("flow", "change")
            for m in self.cue_regex.finditer(self.text, cand.after_end, end)
        )

    def _level_role(self, cand: Candidate) -> str | None:
        """`from` for A and `to` for B in 从A增加到B / 由A提高到B, also with the
        measure between the word and the figure (起征点从月销售额3万元提高到15万元)."""
        s_start, _ = self.layout.sentence_span(cand.start)
        c_start = self.layout.clause_start(cand.start, s_start)
        before = self.text[max(c_start, cand.start - 16) : cand.start]
        if before.endswith(self.rules.level_from):
            return "from"
        if before.endswith(self.rules.level_to) and any(w in before for w in self.rules.level_from):
            return "to"
        reached = self.rules.phrases["level_reached_before"].search(before)
        if before.endswith(self.rules.to_level) or reached:
            return "to"  # (压缩到不超过120个工作日: with its bound word)
        # 从 + a few words with no figure between, and a `to` word right after
        at = max(before.rfind(w) for w in self.rules.level_from)
        from_pos = cand.start - len(before) + at
        if (
            at >= 0
            and not _DIGITS.search(before, at)
            # 由年初的212户减少到97户: a level its own time dates keeps it
            and not self.layout.hits_between(from_pos, cand.start)
        ):
            after = self.text[cand.after_end : cand.after_end + 6]
            if after.startswith(self.rules.to_level + self.rules.level_to):
                return "from"
        return None

    def _project_size(self, cand: Candidate) -> bool:
        """总投资130亿元的…生态园: a size word right before a figure that
        describes the thing after it (…的)."""
        if not self.rules.undated_before or not self.text.startswith(
            self.rules.phrase_word["attribute_mark"], cand.after_end
        ):
            return False
        s_start, _ = self.layout.sentence_span(cand.start)
        c_start = self.layout.clause_start(cand.start, s_start)
        return self.text[c_start : cand.start].endswith(self.rules.undated_before)

    def _level_period(self, role: str, kind: str, hit: PeriodHit | None, period: str) -> str:
        """The levels of a change over a span: A at the year before the span,
        B at its end (常住人口城镇化率从60.2%提高到65.2% over 过去五年: 2017
        and 2022). Without a span in view, A's date is not given."""
        span = self._span_of(hit)
        if span is None:
            if role == "to" and hit is not None and hit.expr.type == "unknown":
                return self.time.default(kind)  # 多年来…减少到10类: the level now
            return "?" if role == "from" and kind == "stock" else period
        a, b = span
        year = a - 1 if role == "from" else b
        return f"asof:{year}" if kind == "stock" else str(year)

    def _span_of(self, hit: PeriodHit | None) -> tuple[int, int] | None:
        if hit is not None and hit.expr.type == "target_year_end" and self.time.year:
            y = int(hit.groups["y"])  # 到2027年,…达到11万元: the level of 2027
            return (self.time.year + 1, y) if y > self.time.year else None
        if hit is None or hit.expr.type not in _SPAN_TYPES:
            return None
        if hit.expr.type == "past_years":
            n = _span_years(hit.groups)
            if n and self.time.year and n > 1:
                return self.time.year - n + 1, self.time.year
            return None
        if hit.expr.type == "since" and hit.groups.get("y") and self.time.year:
            return int(hit.groups["y"]), self.time.year
        return self.time.review

    def _from_to_span(self, cand: Candidate, hit: PeriodHit | None) -> str | None:
        """The years of a change its sentence states as levels before the rate
        (由2014年的9,000人减至2019年的6,300人,下降了30%: 2014..2019)."""
        # 至2019年的 is a year; 减到2019年的 reads as 到 a past year
        if hit is None or hit.expr.type not in ("year", "target_year_end"):
            return None
        if not hit.groups.get("y"):
            return None
        s_start, _ = self.layout.sentence_span(cand.start)
        years = [h for h in self.layout.hits_between(s_start, hit.start) if h.expr.type == "year"]
        if not years or not years[-1].groups.get("y"):
            return None
        first = years[-1]
        if not self.text[max(s_start, first.start - 2) : first.start].endswith(
            self.rules.level_from
        ):
            return None
        a, b = int(first.groups["y"]), int(hit.groups["y"])
        return f"{a}..{b}" if a < b else None

    def _clause_of(self, cand: Candidate) -> int:
        s_start, _ = self.layout.sentence_span(cand.start)
        return self.layout.clause_start(cand.start, s_start)

    def _undated_by_genre(self, cand: Candidate) -> bool:
        """Whether one of the genre's `undated_words` stands before the figure
        in its sentence (a demand, an average the article does not date)."""
        if self.genre is None or not self.genre.undated_words:
            return False
        s_start, _ = self.layout.sentence_span(cand.start)
        before = self.text[s_start : cand.start]
        return any(w in before for w in self.genre.undated_words)

    # ---- modality ---------------------------------------------------------

    def modality_of(self, cand: Candidate, target_hint: bool) -> str:
        if target_hint:
            return "target"
        s_start, _ = self.layout.sentence_span(cand.start)
        before = self.text[s_start : cand.start]
        for m in self.rules.cue_regex.finditer(before):
            genres = self.rules.modality_cue_genres.get(m.group(0))
            if genres is not None and self.meta.genre not in genres:
                continue  # 争取中央资金 in a report is money obtained; in news 争取 is a demand
            if self.rules.modality_cues.get(m.group(0)) == "target":
                return "target"
        if self.rules.phrases["target_after"].match(self.text, cand.after_end):
            return "target"  # 全年新发展会员1.2万人的目标
        i = bisect_right(self._section_starts, cand.start) - 1
        return self._section_modality[i] if i >= 0 else "actual"

    # ---- scope ------------------------------------------------------------

    def _places_in(self, start: int, end: int) -> list[str]:
        rx = self.rules.place_regex
        if rx is None:
            return []
        home = self.meta.scope
        found: list[str] = []
        matches = list(rx.finditer(self.text, start, end))
        # the places only one name fits tell which 朝阳区 the others are
        near = [self.rules.place_aliases[w] for m in matches if self._unambiguous(w := m.group(0))]
        last_end = -1
        for m in matches:
            word = m.group(0)
            apposed, last_end = m.start() == last_end, m.end()
            if word in self.rules.relative_places:
                level = self.rules.relative_places[word]
                if level == "country" and not self._national(home):
                    continue  # 全国劳动模范 in a city's report names an award, not a scope
                place = self.rules.ancestor_at(home, level) or (
                    home if level == "district" else None
                )
            else:
                place = self.rules.place_named(word, home, near)
            if (
                place
                and self.rules.places.get(place)
                and (self.rules.places[place].level != "country" or self._national(home))
            ) or (place and place not in self.rules.places):
                if apposed and found and self._contains(found[-1], place):
                    found[-1] = place  # 福建省鼓楼区, 山东省青岛市: the inner place is named
                else:
                    found.append(place)
        return found

    def _unambiguous(self, word: str) -> bool:
        return len(self.rules.place_index.candidates.get(word, ())) == 1

    def _national(self, home: str | None) -> bool:
        place = self.rules.places.get(home or "")
        return place is not None and place.level == "country"

    def _merge_places(self, places: list[str]) -> str:
        """Coordinated places: the one that holds the others (湖北省和武汉市 ->
        湖北省), else the nearest place that holds them all (东城、西城 -> 北京市).
        A region (京津冀) beside divisions holds none of them: it is left out."""
        regions = {p for p in places if (q := self.rules.places.get(p)) and q.level == "region"}
        places = [p for p in places if p not in regions] or places
        for p in places:
            if all(p == q or self._contains(p, q) for q in places):
                return p
        cur = self.rules.parent_of(places[0])
        while cur:
            if all(self._contains(cur, q) for q in places):
                return cur
            cur = self.rules.parent_of(cur)
        return places[-1]

    def _contains(self, outer: str, inner: str) -> bool:
        seen = 0
        cur = self.rules.parent_of(inner)
        while cur and seen < 10:
            if cur == outer:
                return True
            cur = self.rules.parent_of(cur)
            seen += 1
        return False

    def scope_of(
        self,
        cand: Candidate,
        prev: Candidate | None = None,
        cands: list[Candidate] | None = None,
        index: int = 0,
    ) -> str:
        lay = self.layout
        s_start, s_end = lay.sentence_span(cand.start)
        c_start = lay.clause_start(cand.start, s_start)
        c_end = lay.clause_end(cand.after_end, s_end)
        # nearest first: since the number before in this clause (临湖区新建58个、
        # 青岗区新建47个), the clause before the number, the clause after it
        # (分17次拨付武汉市、湖北省善款), then the clause before this one
        windows = []
        if prev is not None and c_start < prev.after_end <= cand.start:
            windows.append((prev.after_end, cand.start))
        windows += [(c_start, cand.start), (cand.after_end, c_end)]
        if c_start > s_start:
            windows.append((lay.clause_start(c_start - 1, s_start), c_start))
        respective = self._respective_place(cand, c_start, cands or [], index)
        if respective:
            return respective
        for start, end in windows:
            places = self._places_in(start, end)
            if places:
                return self._merge_places(places)
        return self.meta.scope or ""

    def _respective_place(
        self, cand: Candidate, c_start: int, cands: list[Candidate], index: int
    ) -> str | None:
        """深圳、广州两市驿站数量分别达到2100个和1850个: with 分别, the n-th
        place goes with the n-th number after it."""
        at = self.text.rfind(self.rules.phrase_word["respectively"], c_start, cand.start)
        if at < 0:
            return None
        places = self._places_in(c_start, at)
        if len(places) < 2:
            return None
        nth = sum(1 for j in range(index - 1, -1, -1) if cands[j].start > at)
        return places[nth] if nth < len(places) else None

    # ---- all together -------------------------------------------------------

    def resolve(self, cands: list[Candidate], first_seq: int = 0) -> list[Claim]:
        """Claims for `cands` (in text order), numbered from `first_seq`. The
        candidates may be any run of whole lines: no context crosses a line."""
        readings: list[MetricReading] = []
        claims: list[Claim] = []
        sentences: dict[int, str] = {}
        for seq, cand in enumerate(cands):
            prev = cands[seq - 1] if seq > 0 else None
            cell = self.tables.cell_at(cand.start) if self.tables else None
            if cell is not None:
                claim, table_reading = self._table_claim(cand, cell, prev, cands, seq, first_seq)
                claims.append(claim)
                readings.append(table_reading)
                continue
            reading = read_metric(
                self.text, self.layout, cand, prev, readings[-1] if readings else None, self.rules
            )
            readings.append(reading)
            first = self.time_hit(cand)
            kind = self.kind_of(cand, reading.kind, first)
            # only a flow reads its time differently (截至目前 earlier dates levels only)
            hit = self.time_hit(cand, kind) if kind == "flow" else first
            if (
                hit is not None
                and kind == "stock"
                and hit.expr.type in ("day", "day_range")
                and hit.end <= self._clause_of(cand)
            ):
                hit = None  # 该会成立于1950年3月8日,为6个工会中…: the day dates its event
            if (
                hit is not None
                and kind == "stock"
                and hit.expr.type in _EVENT_TYPES
                and hit.end <= self.layout.sentence_span(cand.start)[0]
            ):
                hit = None  # a meeting's date in an earlier sentence does not date a level
            metric_name = reading.name
            if reading.rule_id and kind == "flow":
                # 新增工会组织3553家 is 新建工会组织; 截至目前…工会组织2482个 stays 工会组织
                metric_name = self.rules.metrics[reading.rule_id].flow_name or metric_name
            rate_type, direction = rate_of(self.text, self.layout, cand, kind, self.rules)
            # a ratio that is a level at a point (覆盖率, 比重, 城镇化率) is dated
            # as a level; growth rates and ratios of a year's flows by the year
            point = (
                rate_type in ("level", "share")
                # 流失率, 优良天数比例: a ratio of the year's flows or observations
                and not yearly_share(metric_name, self.rules)
            ) and (
                point_rate(metric_name, self.rules)
                # 年末城镇调查失业率为5.5%: a rate its sentence dates at a point
                or self.rules.phrases["share_of_units_after"].match(self.text, cand.after_end)
                is not None
                or (
                    hit is not None
                    and hit.expr.type in _ASOF_TYPES
                    and hit.start >= self.layout.sentence_span(cand.start)[0]
                )
            )
            # news: a share the article gives without a time (当中约两成, 占所有
            # 工作时数约6%) describes things as they stand at its date
            point = point or (rate_type == "share" and hit is None and self.time.dated)
            time_kind = "stock" if point else kind
            if hit is not None:
                period, target = period_of(hit, time_kind, self.time, self.rules)
            else:
                period, target = self.time.default(time_kind), False
            if rate_type == "growth":
                period = self._from_to_span(cand, hit) or period
            role = self._level_role(cand)
            if role is not None:
                period = self._level_period(role, time_kind, hit, period)
            elif rate_type in ("level", "share") and yearly_share(metric_name, self.rules):
                # 空气质量优良天数比例达86.5% in a review of five years: one
                # year's share, the span's last year's
                span = self._span_of(hit)
                period = str(span[1]) if span else period
            if self._project_size(cand):
                period = "?"  # 总投资130亿元的…项目: a project's size, undated
            if hit is None and self._undated_by_genre(cand):
                period = "?"  # news: 工会要求…至少1,500元, 海员的平均薪酬: no date given
            modality = self.modality_of(cand, target)
            o_start, o_end = self.norm.span_to_original(cand.start, cand.end)
            s0, s1 = self.layout.sentence_span(cand.start)
            sentence = sentences.get(s0)
            if sentence is None:  # claims of one sentence share its string
                sentence = sentences[s0] = self.text[s0:s1].strip()
            claims.append(
                Claim(
                    seq=first_seq + seq,
                    start=o_start,
                    end=o_end,
                    surface=self.original[o_start:o_end],
                    value=cand.value,
                    unit=cand.unit.unit,
                    unit_class=cand.unit.unit_class,
                    approx=cand.approx,  # type: ignore[arg-type]
                    metric=metric_name,
                    metric_rule=reading.rule_id,
                    period=period,
                    scope=self.scope_of(cand, prev, cands, seq),
                    kind=kind,  # type: ignore[arg-type]
                    modality=modality,  # type: ignore[arg-type]
                    part_of=None,
                    sentence=sentence,
                    rule_id=cand.rule_id,
                    rate_type=rate_type,
                    direction=direction,
                )
            )
        claims = _share_joined_metrics(cands, claims)
        linked = link_parts(self.text, self.layout, cands, claims, readings, self.rules)
        if self.tables:
            linked = table_parts(linked, cands, self.tables)
        # the key is decided once the part's metric is known (其中…: 新发展会员中的…)
        return [
            replace(c, metric_key=metric_key(c.metric, c.metric_rule, self.rules)) for c in linked
        ]

    # ---- tables ---------------------------------------------------------------

    def _table_claim(
        self,
        cand: Candidate,
        cell: Cell,
        prev: Candidate | None,
        cands: list[Candidate],
        seq: int,
        first_seq: int,
    ) -> tuple[Claim, MetricReading]:
        """A table cell's claim: metric from its row and column headers, period
        and kind from the time words of the table's caption and header, else
        as for prose."""
        assert self.tables is not None
        metric = cell_metric(self.text, cell, cand, self.rules)
        reading = MetricReading(metric, None, None, metric, "", "")
        table = self.tables.tables[cell.table]
        # a note under the table dates the rows marked for it (天星* … * 按2017年数字推算)
        hits = cell_hits(self.layout, table, cell)
        hits = hits or note_hits(self.layout, table, cell, self.rules)
        level = table_kind(self.text, table, cell, hits, self.rules)
        # durations in a table of caps are levels (更次时间上限 | 14小时)
        kind = cand.unit.kind or (level if level == "stock" else cand.unit.default_kind or level)
        # a table of levels (2022年年末人口数, 人数) dates its shares as levels
        as_level = "stock" if level == "stock" else kind
        hit = hits[0] if hits else None  # the rows around a table do not date it
        period, target = (
            period_of(hit, as_level, self.time, self.rules)
            if hit
            else (self.time.default(as_level), False)
        )
        o_start, o_end = self.norm.span_to_original(cand.start, cand.end)
        s0, s1 = self.layout.sentence_span(cand.start)
        claim = Claim(
            seq=first_seq + seq,
            start=o_start,
            end=o_end,
            surface=self.original[o_start:o_end],
            value=cand.value,
            unit=cand.unit.unit,
            unit_class=cand.unit.unit_class,
            approx=cand.approx,  # type: ignore[arg-type]
            metric=metric,
            metric_rule=None,
            period=period,
            scope=self.scope_of(cand, prev, cands, seq),
            kind=kind,  # type: ignore[arg-type]
            modality=self.modality_of(cand, target),  # type: ignore[arg-type]
            part_of=None,
            sentence=self.text[s0:s1].strip(),
            rule_id=cand.rule_id,
        )
        return claim, reading


def _last_item_break(text: str, start: int, end: int) -> int:
    """Where the list item holding `end` begins: after the last 、 or figure
    between `start` and `end` (start when there is none)."""
    found = start
    for m in _NEXT_ITEM.finditer(text, start, end):
        found = m.end()
    return found


def _share_joined_metrics(cands: list[Candidate], claims: list[Claim]) -> list[Claim]:
    """A bound or list item that took its unit from the figure it is joined to
    (656、459和446个课程) counts what that figure counts."""
    out = list(claims)
    for i in range(len(cands) - 2, -1, -1):
        if "+range" in cands[i].rule_id or "+list" in cands[i].rule_id:
            nxt = out[i + 1]
            out[i] = replace(out[i], metric=nxt.metric, metric_rule=nxt.metric_rule)
    return out


def _has_noun(phrase: str) -> bool:
    return any(is_noun(w, f) for w, f in tag(phrase))


def _head_noun(phrase: str) -> str:
    nouns = [w for w, f in tag(phrase) if is_noun(w, f)]
    return nouns[-1] if nouns else ""


@cache
def _markers_regex(rules: RuleSet) -> re.Pattern[str]:
    words = sorted({*rules.part_markers, *rules.breakdown_markers}, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


_OPENING, _CLOSING = "（(［[", "）)］]"


def _closed_bracket(span: str) -> bool:
    """Whether `span` closes a bracket it did not open: what stands at its
    start sits inside a parenthesis that ends before its end."""
    depth = 0
    for ch in span:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth -= 1
            if depth < 0:
                return True
    return False


def link_parts(
    text: str,
    layout: Layout,
    cands: list[Candidate],
    claims: list[Claim],
    readings: list[MetricReading],
    rules: RuleSet,
) -> list[Claim]:
    """Give every claim after 其中 (or 包括) the claim it is a part of: the
    nearest claim of the same unit class before the marker, in the same
    sentence, or in the sentence before when the marker opens its sentence.
    After a breakdown marker (分经济类型看, 分门类看) the whole is the nearest
    claim of the paragraph that is no part itself, so a second breakdown
    splits the same total as the first. A rate is never a part (its whole's
    growth is no sum of the parts' growth); neither a marker nor a whole
    inside a parenthesis that has closed (（包括三轮汽车719万辆）) governs what
    follows it."""
    out = list(claims)
    by_start = [c.start for c in cands]
    markers_rx = _markers_regex(rules)
    for i, cand in enumerate(cands):
        if claims[i].kind == "rate":
            continue
        s_start, _ = layout.sentence_span(cand.start)
        segment = text[s_start : cand.start]
        # the last marker before the figure; one scan instead of an rfind per marker
        found = None
        for m in markers_rx.finditer(segment):
            found = m
        if found is None:
            continue
        marker_at, marker = found.start(), found.group(0)
        marker_pos = s_start + marker_at
        if _closed_bracket(text[marker_pos : cand.start]):
            continue
        breakdown = marker in rules.breakdown_markers
        whole_from = s_start
        if breakdown:
            whole_from = layout.line_at(cand.start).start
        elif not text[s_start:marker_pos].strip(" ,，、:："):
            prev = layout.previous_sentence_span(s_start)
            if prev is not None:
                whole_from = prev[0]
        best = None
        for j in range(i - 1, -1, -1):
            if by_start[j] >= marker_pos:
                continue
            if by_start[j] < whole_from:
                break
            if _closed_bracket(text[by_start[j] : marker_pos]):
                continue
            # a level is never a part of a change (其中 after 比上年末减少85万人
            # counts the population, not the decrease)
            changes_only = claims[j].rate_type == "change" and claims[i].rate_type != "change"
            if (
                claims[j].unit_class == claims[i].unit_class
                and (out if breakdown else claims)[j].part_of is None
                and not changes_only
            ):
                best = j
                break
        if best is None:
            continue
        whole = out[best]
        own_from = max(marker_pos, cands[i - 1].after_end if i > 0 else marker_pos)
        if layout.hits_between(own_from, cand.start):
            # 其中上半年3.98万人: a part in time, of the same metric, with its own period
            out[i] = replace(
                claims[i],
                part_of=whole.seq,
                kind=whole.kind,
                metric=whole.metric,
                metric_rule=whole.metric_rule,
            )
            continue
        name = claims[i].metric
        part = readings[i].phrase or name
        if claims[i].scope and claims[i].scope != whole.scope and claims[i].scope[:2] not in part:
            part = f"{claims[i].scope}{part}"  # the Wuhan share of a Hubei total
        if not _has_noun(readings[i].phrase):
            part = f"{part}{_head_noun(readings[best].phrase)}"  # 拨付武汉市 + 善款
        if readings[best].name and not name.startswith(readings[best].name):
            name = f"{readings[best].name}{rules.phrase_word['part_link']}{part}"
        rule = claims[i].metric_rule
        if rule and readings[best].rule_id:
            rule = f"{readings[best].rule_id}>{rule}"
        # a part of a flow is a flow of the same period (其中:…1830人 in a sentence
        # dated 截至9月底 counts new members, as its whole does)
        out[i] = replace(
            claims[i],
            part_of=whole.seq,
            metric=name,
            metric_rule=rule,
            kind=whole.kind,
            period=whole.period,
        )
    return out
