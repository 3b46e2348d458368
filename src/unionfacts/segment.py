"""Split normalized text into sentences and heading lines.

A sentence ends at `。！？!?；;` (closing quotes and brackets right after it stay
with it) or at the end of a line. A heading line — a Markdown heading, a
`【…】` line, a numbered title, or a short line without final punctuation —
is one segment with `is_heading` set; later stages use headings as the topic
of the section below them and still look for numbers in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unionfacts.normalize import Normalized, is_title_line

_LINE = re.compile(r"[^\n]+")
_SENTENCE = re.compile(
    r"[^。！？!?；;]+(?:[。！？!?；;]+[”’」』\"')）]*)?"  # text up to its terminator(s)
    r"|[。！？!?；;]+[”’」』\"')）]*"  # terminators with nothing before them
)


@dataclass(frozen=True)
class Sentence:
    """A sentence or heading; `start`/`end` are offsets in the normalized text."""

    start: int
    end: int
    text: str
    is_heading: bool = False


def split_sentences(norm: Normalized) -> list[Sentence]:
    """Sentences and heading lines of `norm.text`, in order, without surrounding spaces."""
    text = norm.text
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        start, end = _strip(text, *line.span())
        if start == end:
            continue
        if start in norm.heading_lines or line.start() in norm.heading_lines:
            out.append(Sentence(start, end, text[start:end], is_heading=True))
            continue
        if is_title_line(text[start:end]):
            out.append(Sentence(start, end, text[start:end], is_heading=True))
            continue
        for piece in _SENTENCE.finditer(text, start, end):
            s, e = _strip(text, *piece.span())
            if s < e:
                out.append(Sentence(s, e, text[s:e]))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
