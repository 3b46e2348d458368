"""Markup that is not body text: where it is in a document and what it becomes.

`markup_edits(text)` returns edits `(start, end, replacement)` in offsets of
`text`, sorted and disjoint, that `normalize` applies in its one pass and
records in its offset map. The text itself is never rewritten here.

- Markdown is read with markdown-it-py (CommonMark plus GFM tables): a link
  keeps its text and loses `[`, `](target "title")`; an image, an autolink and
  a reference definition go entirely.
- HTML (blocks and inline tags) is read with the standard library's
  `html.parser`: tags and their attributes go, the text between them stays;
  block tags become line breaks, and the rows and cells of an HTML table
  become `| … |` lines, so the table stage reads them as it reads pipe tables.
- Bare URLs and runs of percent-escapes (`%E5%B7%B4`) anywhere go too: their
  digits are never claims.

Positions: markdown-it-py gives line ranges for blocks but no offsets inside
them, so each inline token's source is found again in `text` (its lines are
verbatim slices), and the positions of links and images are taken from the
parser's own state by wrapping its `link`, `image`, `autolink` and
`html_inline` rules.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

Edit = tuple[int, int, str]

# What makes it worth running the Markdown parser at all (a C-speed search).
_MARKUP_HINT = re.compile(r"\]\(|\]\[|<[A-Za-z!/]|^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
_URL_CHARS = r"A-Za-z0-9._~:/?#@!$&*+,;=%\-"
_BARE_URL = re.compile(
    rf"(?:https?|ftp)://[{_URL_CHARS}()\[\]]+|www\.[A-Za-z0-9-]+\.[A-Za-z0-9.-]+[{_URL_CHARS}]*"
)
# Two percent-escapes in a row start a run of them; the run is widened to the
# URL characters around it (a pattern that starts with a star would be tried
# at every position of the text).
_PERCENT_PAIR = re.compile("%[0-9A-Fa-f]{2}%[0-9A-Fa-f]{2}")
_URL_CHAR_SET = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~:/?#@!$&*+,;=%-"
)
_URL_RUN_RIGHT = re.compile(rf"[{_URL_CHARS}]*")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*$", re.MULTILINE)

# HTML elements that end a line of text where they open or close.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "ul",
    }
)
# Elements whose content is not text for a reader.
_SKIP_CONTENT = frozenset({"script", "style", "template"})


def markup_edits(text: str) -> list[Edit]:
    """Edits that take the markup out of `text` (offsets in `text`)."""
    edits: list[Edit] = []
    if _MARKUP_HINT.search(text):
        edits = _markdown_edits(text)
    edits = _add_bare_urls(text, edits)
    return edits


# ---- Markdown ------------------------------------------------------------


def _wrap(rule: Callable[..., bool], kind: str) -> Callable[..., bool]:
    """A copy of an inline rule that notes where what it parsed starts and ends."""

    def wrapped(state: Any, silent: bool) -> bool:
        start = state.pos
        label_end = -1
        if kind == "link" and not silent and state.src[start : start + 1] == "[":
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
        ok = rule(state, silent)
        if ok and not silent:
            found: list[tuple[str, int, int, int]] = state.env.setdefault("_uf_spans", [])
            found.append((kind, start, state.pos, label_end))
        return ok

    return wrapped


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    for kind in ("link", "image", "autolink", "html_inline"):
        rules = md.inline.ruler.__rules__
        at = md.inline.ruler.__find__(kind)
        rules[at].fn = _wrap(rules[at].fn, kind)
    md.inline.ruler.__compile__()
    # inline content is parsed token by token in `_inline_edits`, where its
    # place in the text is known; the parse of the whole text reads blocks only
    md.disable("inline")
    return md


class _Locator:
    """Finds the source lines of tokens again in the text, in document order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_start(self, line: int) -> int:
        return self.line_starts[min(line, len(self.line_starts) - 1)]

    def locate(self, content: str, first_line: int, end_line: int) -> list[tuple[int, int]] | None:
        """For each line of `content`: (offset in content, offset in text).
        None when a line is not found inside the token's lines (the parser
        changed it, e.g. expanded a tab): its markup is then left alone."""
        pos = max(self.cursor, self.line_start(first_line))
        limit = self.line_start(end_line) if end_line < len(self.line_starts) else len(self.text)
        pairs: list[tuple[int, int]] = []
        offset = 0
        for piece in content.split("\n"):
            if piece:
                at = self.text.find(piece, pos, limit)
                if at < 0:
                    return None
                pairs.append((offset, at))
                pos = at + len(piece)
            offset += len(piece) + 1
        self.cursor = pos
        return pairs


def _to_text(pairs: list[tuple[int, int]], keys: list[int], p: int) -> int:
    i = max(bisect_right(keys, p) - 1, 0)
    return pairs[i][1] + (p - pairs[i][0])


def _markdown_edits(text: str) -> list[Edit]:
    md = _parser()
    # markdown-it turns \r\n into \n; a space for each \r keeps every offset
    source = text.replace("\r", " ").replace("\0", " ")
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    loc = _Locator(source)
    edits: list[Edit] = []
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "html_block":
            pairs = loc.locate(tok.content.rstrip("\n"), tok.map[0], tok.map[1])
            if pairs:
                edits += _html_edits(tok.content, pairs[0][1] - pairs[0][0])
        elif tok.type == "inline":
            _inline_edits(md, tok, env, loc, edits)
    if env.get("references"):
        edits += [(m.start(), m.end(), "") for m in _REFERENCE_DEF.finditer(source)]
    return _disjoint(edits)


def _inline_edits(md: Any, tok: Any, env: dict[str, Any], loc: _Locator, edits: list[Edit]) -> None:
    assert tok.map is not None
    pairs = loc.locate(tok.content, tok.map[0], tok.map[1])
    if not pairs:
        return
    keys = [k for k, _ in pairs]
    env["_uf_spans"] = []
    md.inline.parse(tok.content, md, env, [])
    for kind, s, e, label_end in env.pop("_uf_spans"):
        start, end = _to_text(pairs, keys, s), _to_text(pairs, keys, e - 1) + 1
        if kind == "link" and label_end > s:
            edits.append((start, start + 1, ""))  # `[`
            edits.append((_to_text(pairs, keys, label_end), end, ""))  # `](…)`
        elif kind == "html_inline":
            edits += _html_edits(tok.content[s:e], start)
        else:  # an image, an autolink: nothing of them is body text
            edits.append((start, end, ""))


def _disjoint(edits: list[Edit]) -> list[Edit]:
    """Sorted, and an edit inside an earlier one dropped (an image in a link)."""
    out: list[Edit] = []
    for s, e, r in sorted(edits, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            continue
        out.append((s, e, r))
    return out


# ---- HTML ----------------------------------------------------------------


class _TagFinder(HTMLParser):
    """Tags, comments and declarations of an HTML fragment, with what each becomes."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.edits: list[Edit] = []
        self.skip_from: int | None = None
        self.tables = 0  # depth of <table> elements

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _end_of(self, start: int) -> int:
        end = self.source.find(">", start)
        return len(self.source) if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._here()
        raw = self.get_starttag_text() or ""
        end = start + len(raw) if self.source.startswith(raw, start) else self._end_of(start)
        if tag in _SKIP_CONTENT:
            self.skip_from = start
            return
        self.tables += tag == "table"
        if self.skip_from is None:
            self.edits.append((start, end, _opening(tag)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        start = self._here()
        end = self._end_of(start)
        if tag in _SKIP_CONTENT and self.skip_from is not None:
            self.edits.append((self.skip_from, end, ""))
            self.skip_from = None
            return
        self.tables -= tag == "table" and self.tables > 0
        if self.skip_from is None:
            self.edits.append((start, end, _closing(tag)))

    def handle_data(self, data: str) -> None:
        # white space between the tags of a table would split its rows
        if self.tables and not data.strip() and self.skip_from is None:
            start = self._here()
            self.edits.append((start, start + len(data), ""))

    def _drop(self, closer: str) -> None:
        start = self._here()
        end = self.source.find(closer, start)
        self.edits.append((start, len(self.source) if end < 0 else end + len(closer), ""))

    def handle_comment(self, data: str) -> None:
        self._drop("-->")

    def handle_decl(self, decl: str) -> None:
        self._drop(">")

    def handle_pi(self, data: str) -> None:
        self._drop(">")


def _opening(tag: str) -> str:
    if tag == "tr":
        return "\n|"
    if tag in ("td", "th"):
        return " "
    return "\n" if tag in _BLOCK_TAGS else ""


def _closing(tag: str) -> str:
    if tag in ("td", "th"):
        return " |"
    if tag == "tr":
        return ""  # the next row opens its own line
    return "\n" if tag in _BLOCK_TAGS else ""


def _html_edits(fragment: str, base: int) -> list[Edit]:
    """Edits for the tags of an HTML fragment that starts at offset `base`."""
    finder = _TagFinder(fragment)
    try:
        finder.feed(fragment)
        finder.close()
    except AssertionError:  # html.parser gives up on some broken markup
        pass
    return [(base + s, base + e, r) for s, e, r in finder.edits if e > s]


# ---- bare URLs -------------------------------------------------------------


def _add_bare_urls(text: str, edits: list[Edit]) -> list[Edit]:
    urls: list[Edit] = []
    if "://" in text or "www." in text:
        urls += [(m.start(), m.end(), "") for m in _BARE_URL.finditer(text)]
    pos = 0
    while (m := _PERCENT_PAIR.search(text, pos)) is not None:
        start = m.start()
        while start > 0 and text[start - 1] in _URL_CHAR_SET:
            start -= 1
        right = _URL_RUN_RIGHT.match(text, m.end())
        end = right.end() if right else m.end()
        urls.append((start, end, ""))
        pos = end
    if not urls:
        return edits
    return _merge(edits, _disjoint(urls))


def _merge(edits: list[Edit], extra: list[Edit]) -> list[Edit]:
    """`edits` plus those of `extra` that overlap none of them."""
    starts = [s for s, _, _ in edits]
    out = list(edits)
    for s, e, r in extra:
        i = bisect_right(starts, s) - 1
        if i >= 0 and edits[i][1] > s:
            continue
        if i + 1 < len(edits) and edits[i + 1][0] < e:
            continue
        out.append((s, e, r))
    return _disjoint(out)
