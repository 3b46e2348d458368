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

_STOPS = "。！？!?；;"
_CLOSERS = "”’」』\"')）"
# A line without its leading and trailing white space.
_LINE = re.compile(r"[^\s](?:[^\n]*[^\s])?")
# A sentence without surrounding white space: text up to and including its
# terminators (and closing quotes after them), or stray terminators alone.
_SENTENCE = re.compile(
    rf"[^\s{_STOPS}](?:[^\n{_STOPS}]*[^\s{_STOPS}])?(?:[ \t]*[{_STOPS}]+[{_CLOSERS}]*)?"
    rf"|[{_STOPS}]+[{_CLOSERS}]*"
)
_INNER_STOP = re.compile(rf"[{_STOPS}].")


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
    headings = norm.heading_lines
    out: list[Sentence] = []
    append = out.append
    for line in _LINE.finditer(text):
        start, end = line.span()
        line_text = line.group()
        if (headings and _line_start(text, start) in headings) or is_title_line(line_text):
            append(Sentence(start, end, line_text, is_heading=True))
        elif _INNER_STOP.search(line_text) is None:  # one sentence: the usual short line
            append(Sentence(start, end, line_text))
        else:
            for piece in _SENTENCE.finditer(text, start, end):
                append(Sentence(piece.start(), piece.end(), piece.group()))
    return out


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1
