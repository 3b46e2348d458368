"""Normalize a decoded document for extraction, keeping a map back to the original.

Steps, in order (each chosen so that offsets stay cheap to track):

1. Traditional → Simplified with OpenCC `t2s`. The conversion is applied to the
   whole text and must preserve its length; where it does not, the affected
   lines are converted character by character (a character whose conversion
   changes length is kept as is). After this step position *i* still means
   original position *i*.
2. Width: full-width digits, Latin letters, `％`, `（）`, full-width and
   no-break spaces become their ASCII forms, one character for one character
   (translated run by run where a regex finds them), so again no offset change.
3. One pass over the whole text: a C-speed scan finds the few characters
   where a change can start, and a regex plus a decision run only there:
   conversion artifacts (`業(yè)` pinyin readings, stray `?`,
   zero-width characters), Markdown/HTML markup and footnote markers, spaces
   next to digits (`39.2 萬人`), `．` between digits, and the joining of
   sentences cut by blank lines or page breaks. Each change of length is
   recorded as a breakpoint of the piecewise-constant offset delta.
   The markup that a parser finds (links, images, HTML tags and attributes,
   URLs: `markup.markup_edits`) is applied in the same pass, before the
   regex decisions at the same place.

Measured on the seed reports repeated to 5 MB (benchmarks/normalize_bench.py):
load + normalize run at ~4 million characters per second.

The map is two `array('q')` columns of breakpoints searched with `bisect`:
16 bytes per change instead of a Python int per character (a per-character
list of a 50 MB file would take ~400 MB).
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from unionfacts.markup import markup_edits

# Han characters: CJK unified ideographs, extension A, compatibility ideographs.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Line-final punctuation that ends a sentence (or introduces a list, `：`).
SENTENCE_END = "。！？!?；;：:…”」』\"'"
# Lines at least this long (in characters) can be body text cut in the middle.
MIN_BODY_LINE = 25
# Without a sentence stop inside, a line must be this long to count as body
# text (headings in the seeds run up to 38 characters).
MIN_BARE_BODY_LINE = 45

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_CHARS = "a-zü" + _TONE_VOWELS + "\u0300-\u036f"

# One char → one char, so translation never moves an offset.
_WIDTH_TABLE: dict[int, str] = {
    **{0xFF10 + i: chr(0x30 + i) for i in range(10)},  # ０-９
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},  # Ａ-Ｚ
    **{0xFF41 + i: chr(0x61 + i) for i in range(26)},  # ａ-ｚ
    ord("％"): "%",
    ord("（"): "(",
    ord("）"): ")",
    ord("\u3000"): " ",  # ideographic space
    ord("\u00a0"): " ",  # no-break space
    ord("\u2002"): " ",
    ord("\u2003"): " ",
    ord("\u2009"): " ",
    ord("\t"): " ",
    ord("\v"): "\n",
}
# `str.translate` with a dict costs ~130 ns a character; translating only the
# runs of wide characters found by a C-speed search is many times faster.
_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDTH_TABLE) + "]+")


def _to_narrow(m: re.Match[str]) -> str:
    return m.group().translate(_WIDTH_TABLE)


# Interrogatives: a half-width `?` between Han characters is a real question
# mark when its clause has one of these; otherwise it is a lost character.
_QUESTION_WORDS = re.compile("[哪谁吗呢吧么几怎何]|什么|是否|如何|多少|难道")
# The last clause break before a position (the final `.*` makes the search greedy).
_LAST_CLAUSE_BREAK = re.compile(r".*[。！？!?；;，,\n]", re.DOTALL)

_PASS = re.compile(
    "|".join(
        [
            # Blank line(s) or a page break between two lines: maybe a cut sentence.
            r"(?P<gap>[ \t\r]*(?:\n[ \t\r]*(?:[\n\f][ \t\r\f]*)+|\f[ \t\r\f\n]*))",
            # Pinyin reading left by a converter: 業(yè), 數(shù), F(xiàn).
            rf"(?P<pinyin>(?<=\S)\((?=[{_PINYIN_CHARS}]{{1,7}}\))[a-zü]*[{_TONE_VOWELS}\u0300-\u036f][{_PINYIN_CHARS}]*\))",
            r"(?P<qmark>\?)",
            r"(?P<zw>[\u200b-\u200d\u2060\ufeff\u00ad]+)",
            r"(?P<hash>(?<![^\n])#{1,6}[ ]+(?=\S))",
            r"(?P<emph>\*\*|__)",
            r"(?P<tag><(?:/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{0,200})?/?|!--.{0,200}?--)>)",
            r"(?P<entity>&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
            r"(?P<fn>\[\^?[0-9]{1,3}\])",
            # Spaces between a digit and a Han char, unit, `%` or decimal point.
            rf"(?P<sp>(?<=[0-9])[ ]+(?=[{HAN}%‰.,])|(?<=[{HAN}])[ ]+(?=[0-9]))",
            r"(?P<dot>(?<=[0-9])．(?=[0-9]))",
        ]
    )
)

# Every alternative of _PASS starts with one of these. Python's regex engine
# only skips ahead fast for a pattern that starts with a character set, so the
# pass finds these first (C speed) and tries _PASS only there: ~5x faster
# than searching with the alternation itself.
_TRIGGER = re.compile(
    r"[ \r\n\f(?#*_<&\[．\u200b-\u200d\u2060\ufeff\u00ad]"
    # A newline matters only before a blank line or a page break; most line
    # ends are skipped here at C speed.
    r"(?:(?<=\n)(?=[ \r]*[\n\f])|(?<!\n))"
)

_BLOCK_TAG = re.compile(r"</?(?:br|p|div|li|tr|h[1-6]|table|ul|ol)\b", re.IGNORECASE)
_NUMBERED = re.compile(
    r"[0-9]{1,2}[.、)]|\([0-9一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、"
    r"|第[一二三四五六七八九十百0-9]{1,3}[章节条部篇]"
)
_INNER_STOP = re.compile(r"[。！？!?；;]")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


_BLOCK_CHARS = 1 << 20


def _blocks(text: str, start: int, stop: int) -> Iterator[str]:
    """`text[start:stop]` in pieces of about a million characters that end at
    line ends: OpenCC converts through UTF-8 copies of its input, so whole
    50 MB files would cost several times their size at once."""
    while start < stop:
        cut = text.find("\n", min(stop, start + _BLOCK_CHARS), stop)
        cut = stop if cut < 0 else cut + 1
        yield text[start:cut]
        start = cut


def to_simplified(text: str) -> str:
    """Traditional → Simplified with the same length as `text`, position for position."""
    cc = _t2s()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    # Rare: some phrase changed length. Redo line by line, and character by
    # character inside the lines that changed, so every offset stays exact.
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c2 := cc.convert(c)) != 1 else c2 for c in line)
        pieces.append(conv)
    return "".join(pieces)


@dataclass(frozen=True)
class Normalized:
    """Normalized text and the map from its positions back to the original text.

    Positions returned by `to_original` are offsets in the text given to
    `normalize` (absolute, even when only a slice was normalized).
    """

    text: str
    # Breakpoints of the offset map: from normalized position _norm[k] on,
    # original = _orig[k] + (i - _norm[k]).
    _norm: array[int] = field(repr=False)
    _orig: array[int] = field(repr=False)
    original_end: int
    # Normalized offsets of line starts whose line was a Markdown heading.
    heading_lines: frozenset[int] = frozenset()

    def to_original(self, i: int) -> int:
        """Original offset of normalized position `i` (0 <= i <= len(text))."""
        if i >= len(self.text):
            return self.original_end
        k = bisect_right(self._norm, i) - 1
        return self._orig[k] + (i - self._norm[k])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the normalized span [start, end).

        It runs from the first to the last kept character, so characters removed
        inside it (an artifact such as `(shù)`) are included.
        """
        if end <= start:
            pos = self.to_original(start)
            return pos, pos
        return self.to_original(start), self.to_original(end - 1) + 1

    @property
    def breakpoints(self) -> int:
        """Number of breakpoints in the offset map (its memory is 16 bytes each)."""
        return len(self._norm)


def _line_at(t: str, pos: int) -> tuple[int, int]:
    """Start and end of the line that holds (or ends just before) `pos`."""
    start = t.rfind("\n", 0, pos) + 1
    end = t.find("\n", pos)
    return start, len(t) if end < 0 else end


def _ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in SENTENCE_END


def is_title_line(line: str) -> bool:
    """Whether a (stripped) line reads as a heading or a title, not body text.

    Headings in these reports run up to ~40 characters and hold no full stop;
    body lines cut by a page break are usually long or hold a finished sentence.
    """
    if not line:
        return False
    if line[0] == "#" or (line[0] == "【" and line[-1] == "】"):
        return True
    has_stop = _INNER_STOP.search(line, 0, len(line) - 1) is not None
    if line[0] in "□■●◆" or line.startswith("——") or _NUMBERED.match(line):
        return not has_stop  # a numbered heading, unless it holds whole sentences
    if _ends_sentence(line):
        return False
    return len(line) < (MIN_BODY_LINE if has_stop else MIN_BARE_BODY_LINE)


def _should_join(prev: str, nxt: str) -> bool:
    """Whether the blank line between `prev` and `nxt` cuts one sentence in two."""
    if not prev or not nxt or _ends_sentence(prev) or is_title_line(prev):
        return False
    if nxt[:20] == prev[:20]:
        return False  # a paragraph printed twice: the copy is no continuation
    if nxt[0] in "，,、。；;：:）)”」":  # a line cannot start with these
        return True
    return not is_title_line(nxt)


class _Recorder:
    """Decides each change of the pass and records the offset breakpoints."""

    def __init__(self, t: str, base: int) -> None:
        self.t = t
        self.base = base
        self.removed = 0  # original chars minus normalized chars so far
        self.norm = array("q", [0])
        self.orig = array("q", [base])
        self.headings: set[int] = set()

    def record(self, s: int, e: int, new: str) -> None:
        """Note that t[s:e] became `new` (only called when the length changes)."""
        n_start = s - self.removed
        self.removed += (e - s) - len(new)
        # Replacement chars keep mapping to the first replaced chars (the delta
        # before the change); from the end of `new` on, the new delta holds.
        self.norm.append(n_start + len(new))
        self.orig.append(self.base + e)

    def decide(self, m: re.Match[str]) -> str | None:
        """The replacement for match `m`, or None to keep it as is."""
        kind = m.lastgroup
        text = m.group()
        if kind == "gap":
            return self._gap(m)
        if kind == "qmark":
            return "" if self._stray_qmark(m.start()) else None
        if kind == "hash":
            self.headings.add(m.start() - self.removed)
            return ""
        if kind == "tag":
            return "\n" if _BLOCK_TAG.match(text) else ""
        if kind == "entity":
            value = html.unescape(text).replace("\xa0", " ")
            return value if len(value) == 1 else None
        if kind == "dot":
            return "."
        return ""

    def _gap(self, m: re.Match[str]) -> str | None:
        t = self.t
        s, e = m.span()
        p_start, _ = _line_at(t, s)
        _, n_end = _line_at(t, e)
        prev = t[p_start:s].strip()
        nxt = t[e:n_end].strip()
        if not _should_join(prev, nxt):
            return m.group().replace("\f", "\n") if "\f" in m.group() else None
        latin = prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii()
        return " " if latin else ""

    def _stray_qmark(self, pos: int) -> bool:
        t = self.t
        after = t[pos + 1] if pos + 1 < len(t) else "\n"
        before = t[pos - 1] if pos else "\n"
        if after in ",.!;:\"'" or (after.isascii() and after.isalpha()):
            return True  # `舉辦?,F(xiàn)場`: the `?` stands for a lost character
        if not (is_han(before) and (is_han(after) or after in "“”‘’「」《》()")):
            return False
        m = _LAST_CLAUSE_BREAK.search(t, max(0, pos - 80), pos)
        clause_start = m.end() if m else max(0, pos - 80)
        return not _QUESTION_WORDS.search(t, clause_start, pos)


def is_han(c: str) -> bool:
    """A Han character (CJK unified ideographs, extension A, compatibility)."""
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def normalize(text: str, start: int = 0, end: int | None = None) -> Normalized:
    """Normalize `text[start:end]`; the result maps back to offsets in `text`."""
    stop = len(text) if end is None else min(end, len(text))
    t = "".join(_WIDE.sub(_to_narrow, to_simplified(block)) for block in _blocks(text, start, stop))
    rec = _Recorder(t, start)
    pieces: list[str] = []
    done = 0  # t[:done] is already in `pieces`
    # markup found by the parsers (offsets in t, which has the slice's length)
    edits = markup_edits(text[start:stop])
    k = 0

    def apply(s: int, e: int, new: str) -> None:
        nonlocal done
        pieces.append(t[done:s])
        pieces.append(new)
        if len(new) != e - s:
            rec.record(s, e, new)
        done = e

    for trig in _TRIGGER.finditer(t):
        pos = trig.start()
        while k < len(edits) and edits[k][0] <= pos:
            if edits[k][0] >= done:
                apply(*edits[k])
            k += 1
        if pos < done:
            continue  # inside the previous change
        m = _PASS.match(t, pos)
        if m is None:
            continue
        if k < len(edits) and edits[k][0] < m.end():
            continue  # the regex's match would run into markup the parser found
        new = rec.decide(m)
        if new is None or new == m.group():
            continue
        apply(m.start(), m.end(), new)
    for s, e, new in edits[k:]:
        if s >= done:
            apply(s, e, new)
    pieces.append(t[done:])
    out = "".join(pieces)
    pieces.clear()
    return Normalized(
        text=out,
        _norm=rec.norm,
        _orig=rec.orig,
        original_end=stop,
        heading_lines=frozenset(rec.headings),
    )
