"""Tables in a normalized document: their cells, headers, units and captions.

Three forms are read, all on the normalized text (markup is gone by then,
and an HTML table has become `| … |` lines in `markup`):

- pipe tables: lines that start with `|`; a row whose line does not end with
  `|` goes on over the next lines (a cell of two lines); a `| --- |` line
  ends the header;
- aligned plain-text tables: two or more lines, `- ` list items or not, that
  end in the same number (two or more) of space-separated numbers
  (`- 居民消费价格 2.0 2.0 2.0`), under the short lines that name the columns;
- either with lines just above it: a caption (`表1 2022年年末人口数`, where the
  period is read) and a unit line (`单位：%`).

Every number in a data cell is a value: `table_candidates` turns the bare
numbers (which the prose extractor drops: no unit word) into candidates,
with the unit and multiplier of the row's unit column (`| 纱 | 万吨 | 2719.1 |`),
of the column header (`年末数(万人)`), or of the unit line; a number that
carries its own unit word keeps it. The resolver asks `cell_at` for the
headers of a candidate's cell.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from weakref import WeakKeyDictionary

from unionfacts.extract import Candidate
from unionfacts.extract import _excluded as excluded
from unionfacts.layout import Layout, PeriodHit
from unionfacts.models import Claim
from unionfacts.normalize import HAN
from unionfacts.numbers import normalize_decimal
from unionfacts.rules import RuleSet, Unit

# How many lines above a table may hold its caption or unit line.
CAPTION_LINES = 4
# How many lines one row of a pipe table may run over (cells of several lines).
MAX_ROW_LINES = 30
# A caption, a unit line or a header line of an aligned table is short.
MAX_CAPTION = 60

_NUMBER = re.compile(r"(?<![\d.])-?\d+(?:,\d{3})*(?:\.\d+)?(?![\d.])")
_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]\s+)?")
# normalize has taken out the space between a Han label and its first number
_ALIGNED_ROW = re.compile(
    r"^(?P<lead>\s*(?:[-*+]\s+)?)(?P<label>\S(?:.*?[^\d\s.,-])?)\s*"
    r"(?P<nums>-?\d+(?:,\d{3})*(?:\.\d+)?(?:\s+-?\d+(?:,\d{3})*(?:\.\d+)?)+)\s*$",
    re.MULTILINE,
)
_HAN = re.compile(f"[{HAN}]")
_PARENS = re.compile(r"[(（]([^()（）]{1,8})[)）]")
_SENTENCE_STOP = re.compile("[。！？；]")
# The time expressions that date a level (as the resolver reads them).
_ASOF_TYPES = frozenset({"asof_now", "asof_year_end", "asof_month", "year_end", "year_start"})


@dataclass(frozen=True, slots=True)
class Cell:
    """A data cell: its span in the normalized text and what its headers say."""

    start: int
    end: int
    table: int  # index of the table in the document
    row: int  # index of the data row in its table
    col: int
    row_header: str
    col_header: str
    unit_word: str | None  # 万吨, %, 万人: from the unit column, the header or a unit line
    count_unit: str | None  # 人 for a 人数 column whose own unit sits on another number
    col_span: tuple[int, int] | None = None  # the column's header cell
    row_span: tuple[int, int] | None = None  # the row's label cell


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    caption: tuple[int, int] | None  # the lines above the table (caption, unit line)
    header: tuple[int, int]  # the header row(s)
    part_rows: frozenset[int]  # data rows whose header starts with a part marker (其中)


class Tables:
    """The tables of one normalized text, and the cell at a position."""

    def __init__(self, text: str, rules: RuleSet) -> None:
        self.text = text
        self.tables: list[Table] = []
        self.cells: list[Cell] = []
        self._table_starts: list[int] = []
        self._table_ends: list[int] = []
        _find_pipe_tables(text, rules, self)
        self._index()
        _find_aligned_tables(text, rules, self)  # outside the pipe tables
        self._index()
        self.cells.sort(key=lambda c: c.start)
        self.cell_starts = [c.start for c in self.cells]

    def _index(self) -> None:
        spans = sorted((t.start, t.end) for t in self.tables)
        self._table_starts = [s for s, _ in spans]
        self._table_ends = [e for _, e in spans]

    def cell_at(self, pos: int) -> Cell | None:
        i = bisect_right(self.cell_starts, pos) - 1
        if i >= 0 and self.cells[i].start <= pos < self.cells[i].end:
            return self.cells[i]
        return None

    def in_table(self, pos: int) -> bool:
        i = bisect_right(self._table_starts, pos) - 1
        return i >= 0 and pos < self._table_ends[i]

    def add(self, table: Table, cells: list[Cell]) -> None:
        self.tables.append(table)
        self.cells.extend(cells)


# ---- finding tables ----------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _clean(s: str) -> str:
    """Cell text on one line: emphasis out, white space collapsed, and dropped
    between Han characters (出口\n比重 from a <br>)."""
    out = ""
    for piece in s.replace("*", " ").split():
        if out and not (_HAN.match(out[-1]) and _HAN.match(piece[0])):
            out += " "
        out += piece
    return out


def _caption(text: str, lines: list[tuple[int, int]], first: int) -> tuple[int, int] | None:
    """The short lines just above line `first` (blank lines skipped)."""
    spans: list[tuple[int, int]] = []
    i = first - 1
    blank = 0
    while i >= 0 and len(spans) < CAPTION_LINES and blank <= 2:
        s, e = lines[i]
        body = text[s:e].strip()
        if body:
            if len(body) > MAX_CAPTION or _SENTENCE_STOP.search(body) or body.startswith("|"):
                break
            spans.append((s, e))
            blank = 0
        else:
            blank += 1
        i -= 1
    if not spans:
        return None
    return spans[-1][0], spans[0][1]


def _relative_headers(heads: list[str], rules: RuleSet) -> list[str]:
    """A header that compares (比上年增长, 比重) names the column to its left
    too: | 出口额 | 比上年增长 | 进口额 | 比上年增长 | are two growths."""
    relative = rules.table_words.get("relative_header", ())
    out = list(heads)
    for k in range(1, len(heads)):
        if any(heads[k].startswith(w) for w in relative):
            left = next(
                (
                    h
                    for h in reversed(heads[1:k])
                    if h != heads[0] and not any(h.startswith(w) for w in relative)
                ),
                "",
            )
            base = _PARENS.sub("", left).strip()
            if base and base not in rules.table_words.get("unit_header", ()):
                out[k] = base + heads[k]
    return out


def _unit_line(text: str, span: tuple[int, int] | None, rules: RuleSet) -> str | None:
    """单位：万人 in the caption lines."""
    if span is None:
        return None
    for word in rules.table_words.get("unit_header", ()):
        m = re.search(re.escape(word) + r"\s*[:：]\s*([^\s,，;；)）]+)", text[span[0] : span[1]])
        if m:
            return m.group(1)
    return None


def _header_unit(header: str, rules: RuleSet) -> str | None:
    """The unit in a header's parentheses: 年末数(万人) -> 万人, 比上年增长(%) -> %;
    only a unit the rules know (全职车长(学员) names no unit)."""
    for m in _PARENS.finditer(header):
        inner = m.group(1).strip()
        parsed = parse_unit_word(inner, rules)
        if parsed is not None and parsed[1].rule_id != "table_unit":
            return inner
    return None


def _drop_unit(label: str, rules: RuleSet) -> str:
    """新建驿站(个) -> 新建驿站; 硫酸(折100%) stays."""

    def drop(m: re.Match[str]) -> str:
        return "" if _header_unit(m.group(0), rules) else m.group(0)

    return _PARENS.sub(drop, label).strip()


def _count_unit(header: str, rules: RuleSet) -> str | None:
    for word, unit in rules.count_units.items():
        if word in header:
            return unit
    return None


def _is_part(row_header: str, rules: RuleSet) -> bool:
    return any(row_header.startswith(m) for m in rules.part_markers)


def _strip_part(row_header: str, rules: RuleSet) -> str:
    for m in rules.part_markers:
        if row_header.startswith(m):
            return row_header[len(m) :].lstrip(":：, ")
    return row_header


def _pipe_rows(
    text: str, lines: list[tuple[int, int]], i: int
) -> tuple[list[tuple[int, int]], int]:
    """The logical rows of the pipe table starting at line `i`, and the line after it."""
    rows: list[tuple[int, int]] = []
    while i < len(lines):
        s, e = lines[i]
        if not text[s:e].lstrip().startswith("|"):
            break
        j = i
        # a row whose line does not end with `|` goes on (a two-line cell)
        while not text[lines[j][0] : lines[j][1]].rstrip().endswith("|") and j + 1 < len(lines):
            nxt = text[lines[j + 1][0] : lines[j + 1][1]].strip()
            if not nxt or j - i >= MAX_ROW_LINES:
                break
            j += 1
        rows.append((s, lines[j][1]))
        i = j + 1
    return rows, i


_CELL = re.compile(r"\|[ \t\r]*([^|]*?)[ \t\r\n]*(?=\|)")


def _split_cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of the cells of a pipe row (stripped), without the outer pipes."""
    return [m.span(1) for m in _CELL.finditer(text, s, e)]


def _find_pipe_tables(text: str, rules: RuleSet, tables: Tables) -> None:
    if "|" not in text:
        return
    lines = _lines(text)
    i = 0
    while i < len(lines):
        s, e = lines[i]
        if not text[s:e].lstrip().startswith("|"):
            i += 1
            continue
        rows, nxt = _pipe_rows(text, lines, i)
        _add_pipe_table(text, rules, tables, rows, _caption(text, lines, i))
        i = max(nxt, i + 1)


def _add_pipe_table(
    text: str,
    rules: RuleSet,
    tables: Tables,
    rows: list[tuple[int, int]],
    caption: tuple[int, int] | None,
) -> None:
    sep = next((k for k, (s, e) in enumerate(rows) if _SEPARATOR.match(text[s:e])), None)
    n_header = sep if sep is not None and sep > 0 else 1
    body = [r for k, r in enumerate(rows) if k >= n_header and k != sep]
    if len(rows) < 2 or not body:
        return
    header_cells = _split_cells(text, *rows[0])
    col_headers = _relative_headers([_clean(text[a:b]) for a, b in header_cells], rules)
    unit_headers = rules.table_words.get("unit_header", ())
    unit_col = next(
        (
            k
            for k, h in enumerate(col_headers)
            if k and h and any(h.startswith(w) for w in unit_headers)
        ),
        None,
    )
    line_unit = _unit_line(text, caption, rules)
    # a wide table repeats its label column (| 行业 | 增长 | 行业 | 增长 |)
    label_cols = {k for k, h in enumerate(col_headers) if k == 0 or (h and col_headers[0] == h)}
    # what each column's header says, once per column
    heads = [_PARENS.sub("", h).strip() for h in col_headers]
    head_units = [_header_unit(h, rules) for h in col_headers]
    count_units = [_count_unit(h, rules) for h in col_headers]
    index = len(tables.tables)
    cells: list[Cell] = []
    part_rows: set[int] = set()
    for r, (s, e) in enumerate(body):
        spans = _split_cells(text, s, e)
        if not spans:
            continue
        row_unit = (
            _clean(text[spans[unit_col][0] : spans[unit_col][1]])
            if unit_col is not None and unit_col < len(spans)
            else None
        )
        label, label_unit, row_span = "", None, spans[0]
        for c, (a, b) in enumerate(spans):
            if c in label_cols:
                row_span = (a, b)
                raw = _clean(text[a:b])
                if c == 0 and _is_part(raw, rules):
                    part_rows.add(r)
                label = _drop_unit(_strip_part(raw, rules), rules)
                label_unit = _header_unit(raw, rules)
                continue
            if c == unit_col or a >= b:
                continue
            known = c < len(col_headers)
            cells.append(
                Cell(
                    start=a,
                    end=b,
                    table=index,
                    row=r,
                    col=c,
                    row_header=label,
                    col_header=heads[c] if known else "",
                    unit_word=(head_units[c] if known else None)
                    or row_unit
                    or label_unit
                    or line_unit,
                    count_unit=count_units[c] if known else None,
                    col_span=header_cells[c] if c < len(header_cells) else None,
                    row_span=row_span,
                )
            )
    tables.add(
        Table(
            rows[0][0],
            rows[-1][1],
            caption,
            (rows[0][0], rows[n_header - 1][1]),
            frozenset(part_rows),
        ),
        cells,
    )


def _find_aligned_tables(text: str, rules: RuleSet, tables: Tables) -> None:
    lines = _lines(text)
    i = 0
    while i < len(lines):
        m = _ALIGNED_ROW.match(text, lines[i][0], lines[i][1])
        if m is None or not _HAN.search(m.group("label")) or tables.in_table(lines[i][0]):
            i += 1
            continue
        n = len(m.group("nums").split())
        j = i
        while j + 1 < len(lines):
            m2 = _ALIGNED_ROW.match(text, lines[j + 1][0], lines[j + 1][1])
            if m2 is None or len(m2.group("nums").split()) != n:
                break
            j += 1
        if j > i:
            _add_aligned_table(text, rules, tables, lines, i, j, n)
        i = j + 1


def _add_aligned_table(
    text: str,
    rules: RuleSet,
    tables: Tables,
    lines: list[tuple[int, int]],
    first: int,
    last: int,
    n: int,
) -> None:
    caption = _caption(text, lines, first)
    line_unit = _unit_line(text, caption, rules)
    # the column names: the words of the short lines above, without a unit line
    # or a caption; a first word beyond n names the label column (指标)
    words: list[str] = []
    if caption is not None:
        for s, e in lines:
            if s < caption[0] or e > caption[1]:
                continue
            line = _LIST_MARK.sub("", text[s:e]).strip()
            if any(line.startswith(w) for w in rules.table_words.get("unit_header", ())):
                continue
            words.append(line)
    heads = " ".join(words[-2:]).split() if words else []
    heads = heads[-n:] if len(heads) >= n else [""] * n
    index = len(tables.tables)
    cells: list[Cell] = []
    part_rows: set[int] = set()
    for r, k in enumerate(range(first, last + 1)):
        s, e = lines[k]
        m = _ALIGNED_ROW.match(text, s, e)
        assert m is not None
        label = _clean(m.group("label"))
        if _is_part(label, rules):
            part_rows.add(r)
        nums_at = m.start("nums")
        for c, nm in enumerate(_NUMBER.finditer(text, nums_at, m.end("nums"))):
            cells.append(
                Cell(
                    start=nm.start(),
                    end=nm.end(),
                    table=index,
                    row=r,
                    col=c + 1,
                    row_header=_strip_part(label, rules),
                    col_header=heads[c] if c < len(heads) else "",
                    unit_word=line_unit,
                    count_unit=None,
                    row_span=(m.start("label"), m.end("label")),
                )
            )
    start = caption[0] if caption else lines[first][0]
    tables.add(
        Table(start, lines[last][1], caption, (start, lines[first][0]), frozenset(part_rows)),
        cells,
    )


# ---- candidates -------------------------------------------------------------


def parse_unit_word(word: str | None, rules: RuleSet) -> tuple[Decimal, Unit] | None:
    """万吨 -> (10⁴, 吨); 亿千瓦时 -> (10⁸, 千瓦时); % -> (1, %). A unit word the
    rules do not know is taken as written (a table names its own units)."""
    if not word:
        return None
    word = word.strip()
    keep = rules.table_words.get("unit_word", ())
    factor = Decimal(1)
    rest = word
    while rest and rest[0] in rules.multipliers and rest not in rules.units and rest not in keep:
        factor *= rules.multipliers[rest[0]]
        rest = rest[1:]
    if not rest:
        return None
    unit = rules.units.get(rest)
    if unit is None:
        if len(rest) > 6 or _NUMBER.search(rest) or not re.fullmatch(r"[\w/%‰]+", rest):
            return None
        unit = Unit(rule_id="table_unit", unit=rest, unit_class=rest, kind=None, needs_arabic=False)
    return factor, unit


def table_candidates(
    text: str,
    tables: Tables,
    cands: list[Candidate],
    rules: RuleSet,
    start: int = 0,
    end: int | None = None,
) -> list[Candidate]:
    """`cands` (those of `text[start:end]`) with the prose candidates inside
    tables replaced: a number in a data cell keeps its own unit word if it has
    one, else takes the unit of its cell's headers; numbers in header cells
    and row labels are dropped."""
    if not tables.cells:
        return cands
    stop = len(text) if end is None else end
    out = [c for c in cands if not tables.in_table(c.start)]
    # the prose candidates of data cells: a number with its own unit word stays
    kept = [c for c in cands if tables.cell_at(c.start) is not None]
    kept_starts = [c.start for c in kept]
    lo = bisect_right(tables.cell_starts, start - 1)
    for cell in tables.cells[lo:]:
        if cell.start >= stop:
            break
        own_units = kept[bisect_left(kept_starts, cell.start) : bisect_left(kept_starts, cell.end)]
        out.extend(own_units)
        for m in _NUMBER.finditer(text, cell.start, cell.end):
            if any(c.start <= m.start() < c.after_end for c in own_units):
                continue
            word = cell.count_unit if own_units and cell.count_unit else cell.unit_word
            if own_units and not cell.count_unit and word and _same_unit(word, own_units, rules):
                continue  # 7,743(87%): the header's % is the other number's
            parsed = parse_unit_word(word, rules)
            if parsed is None:
                continue
            factor, unit = parsed
            try:
                value = Decimal(m.group().replace(",", "")) * factor
            except InvalidOperation:
                continue
            if excluded(text, m.start(), m.group(), m.end(), value, "arabic", rules):
                continue  # a date column (10.20), a code
            out.append(
                Candidate(
                    start=m.start(),
                    end=m.end(),
                    value=normalize_decimal(value),
                    unit=unit,
                    approx="exact",
                    numeral="arabic",
                    rule_id=f"table:{unit.rule_id}",
                    after_end=m.end(),
                )
            )
    return sorted({c.start: c for c in out}.values(), key=lambda c: c.start)


def _same_unit(word: str, own: list[Candidate], rules: RuleSet) -> bool:
    parsed = parse_unit_word(word, rules)
    return parsed is not None and any(c.unit.unit_class == parsed[1].unit_class for c in own)


# ---- claims -----------------------------------------------------------------


def cell_metric(text: str, cell: Cell, cand: Candidate, rules: RuleSet) -> str:
    """The metric of a cell's value: its row header, its column header, and
    the words next to the value inside the cell (特别更次:14小时, 6小时驾驶);
    a share beside a count (人数(%) | 7,743(87%)) says it is a share."""
    row = cell.row_header.rstrip("*")
    col = cell.col_header
    name = row if col and col in row else f"{row}{col}"
    line_start = max(cell.start, text.rfind("\n", cell.start, cand.start) + 1)
    line_end = text.find("\n", cand.end, cell.end)
    line_end = cell.end if line_end < 0 else line_end
    own = "".join(_HAN.findall(text[line_start : cand.start] + text[cand.after_end : line_end]))
    if len(own) >= 2 and own not in name:
        name += own
    shares = rules.table_words.get("share_word", ())
    if cand.unit.unit_class == "%" and cell.count_unit and shares:
        name += shares[0]
    return name


def cell_hits(layout: Layout, table: Table, cell: Cell) -> list[PeriodHit]:
    """The time expressions that date a cell, nearest first: in its column's
    header (2020年1月), in its row's label (2018年), in the caption and header;
    those that name their year come first."""
    found: list[PeriodHit] = []
    for span in (cell.col_span, cell.row_span):
        if span is not None:
            found += _hits_in(layout, span[0], span[1])
    lo = table.caption[0] if table.caption else table.header[0]
    found += _hits_in(layout, lo, table.header[1])
    # a year named (2030年) before a relative word (年末 in 年末数)
    return sorted(found, key=lambda h: "y" not in h.groups)


def note_hits(layout: Layout, table: Table, cell: Cell, rules: RuleSet) -> list[PeriodHit]:
    """The time expressions of a note under the table that the cell's row or
    column refers to by its marker (天星* | 1,260人 … with `* 按海事处2017年数字推算`
    below: 1,260人 is a 2017 figure)."""
    text = layout.text
    at = table.end
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    note = text[at:end]
    marker = next((m for m in rules.table_words.get("note_marker", ()) if note.startswith(m)), None)
    labels = [text[sp[0] : sp[1]] for sp in (cell.row_span, cell.col_span) if sp is not None]
    if marker is None or not any(marker in label for label in labels):
        return []
    return _hits_in(layout, at, end)


_HIT_STARTS: WeakKeyDictionary[Layout, list[int]] = WeakKeyDictionary()


def _hits_in(layout: Layout, start: int, end: int) -> list[PeriodHit]:
    # headings included: a table's rows are short lines, so they read as headings
    hits = layout.period_hits
    starts = _HIT_STARTS.get(layout)
    if starts is None:
        starts = _HIT_STARTS[layout] = [h.start for h in hits]
    i = bisect_right(starts, start - 1)
    out = []
    while i < len(hits) and hits[i].start < end:
        out.append(hits[i])
        i += 1
    return out


def table_kind(text: str, table: Table, cell: Cell, hits: list[PeriodHit], rules: RuleSet) -> str:
    """stock for a table of levels (a date in its caption, a count header such
    as 人数, a stock cue in its caption or column header), else flow. The row label is not read:
    一次能源生产总量 names a product, not a level."""
    if cell.count_unit or any(h.expr.type in _ASOF_TYPES for h in hits):
        return "stock"  # a headcount (人数), a table of levels at a date
    where = cell.col_header
    if table.caption:
        where += " " + text[table.caption[0] : table.caption[1]]
    cues = [rules.kind_cues.get(m.group(0)) for m in rules.cue_regex.finditer(where)]
    return "stock" if "stock" in cues else "flow"


def table_parts(claims: list[Claim], cands: list[Candidate], tables: Tables) -> list[Claim]:
    """part_of inside tables: a row under 其中 is part of a row above in the same
    column, the nearest whose value its group of rows adds up to (城镇 + 乡村 =
    全国人口), else the nearest above with a larger value. Rates are parts of nothing."""
    if not tables.cells:
        return claims
    out = list(claims)
    by_cell: dict[tuple[int, int, int], int] = {}
    for i, cand in enumerate(cands):
        cell = tables.cell_at(cand.start)
        if cell is not None:
            by_cell.setdefault((cell.table, cell.col, cell.row), i)
            if claims[i].part_of is not None:
                out[i] = replace(out[i], part_of=None)
    for (t, col, row), i in by_cell.items():
        if row not in tables.tables[t].part_rows or claims[i].unit_class == "%":
            continue
        whole, n_rows = _whole_row(t, col, row, by_cell, claims)
        if whole is None:
            continue
        for k in range(row, row + n_rows):
            j = by_cell[(t, col, k)]
            out[j] = replace(out[j], part_of=claims[whole].seq)
    return out


def _whole_row(
    t: int,
    col: int,
    row: int,
    by_cell: dict[tuple[int, int, int], int],
    claims: list[Claim],
) -> tuple[int | None, int]:
    """The claim a 其中 row is part of, and how many rows from it on are its parts."""
    me = claims[by_cell[(t, col, row)]]
    sums = [me.value]
    k = row + 1
    while (t, col, k) in by_cell:
        other = claims[by_cell[(t, col, k)]]
        if other.unit != me.unit:
            break
        sums.append(sums[-1] + other.value)
        k += 1
    larger = None
    for r in range(row - 1, -1, -1):
        i = by_cell.get((t, col, r))
        if i is None or claims[i].unit != me.unit:
            continue
        v = claims[i].value
        for n, total in enumerate(sums[1:], start=2):
            if abs(total - v) <= abs(v) * Decimal("0.001"):
                return i, n
        if larger is None and v >= me.value:
            larger = i
    return larger, 1
