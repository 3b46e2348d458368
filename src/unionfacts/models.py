"""Plain values passed between pipeline stages.

Stages never hand each other ORM objects: the store package converts these
values to rows and back. Every value that came from a document keeps its
evidence (surface text and span in the *original* decoded document).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

Approx = Literal["exact", "over", "under", "about"]
Kind = Literal["flow", "stock", "rate"]
Modality = Literal["actual", "target"]
Severity = Literal["error", "warning", "info"]
# growth: 增长/下降 X% against a base; share: 占…比重; level: a ratio that is a
# level in itself (失业率, 城镇化率); change: 增加/减少 N of a count or amount.
RateType = Literal["growth", "share", "level", "change"]
Direction = Literal["up", "down"]


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one document, from front matter or inferred from its text."""

    title: str | None = None
    date: date | None = None  # the document's own date (meeting date, issue date)
    year: int | None = None  # the year under review, when known
    issuer: str | None = None
    scope: str | None = None  # home jurisdiction: 北京市, 顺义区, 全国, ...
    genre: str | None = None  # id of a genre in rules/genres.yaml (gwr, statcomm, news, ...)
    target_year: int | None = None  # the year the report sets targets for, when it does
    # How each field was obtained ("front_matter", "text", "override", "file_name").
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedDocument:
    """A decoded file. `text` is the whole decoded file, front matter included;
    every offset in the project counts from its start."""

    path: Path
    name: str  # file name, as written by `export` in the `doc` field
    text: str
    encoding: str
    content_hash: str  # sha256 of the raw bytes, hex
    size_bytes: int
    body_start: int  # offset where the text after any front matter begins
    front_matter: dict[str, object] = field(default_factory=dict)
    # one line each: problems that did not stop the file (a bad front-matter date)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One numeric claim, as extracted (not yet stored)."""

    seq: int  # 0-based position among the document's claims, in text order
    start: int  # span of the number expression in the original decoded text
    end: int
    surface: str  # original text[start:end]
    value: Decimal  # in base units after multipliers (万, 亿, ...); percent as 92.39
    unit: str  # canonical unit (人, 个, 元, %, 人次, ...)
    unit_class: str  # comparison class of the unit
    approx: Approx
    metric: str  # canonical metric name from rules/, else the counted noun phrase
    metric_rule: str | None  # id of the metric rule that named it, None when inferred
    period: str  # GUIDELINES period grammar: 2023, 2021-H1, 2019..2023, asof:2021-04, ?
    scope: str
    kind: Kind
    modality: Modality
    part_of: int | None  # seq of the claim this one is a part of (其中, 包括, 含)
    sentence: str  # the normalized sentence that holds the claim
    rule_id: str  # id of the number/unit rule that produced it
    # The comparable identity of what is measured: a concept id from
    # rules/metrics.yaml, else a normalised fingerprint of the counted noun.
    metric_key: str = ""
    rate_type: RateType | None = None  # for kind == "rate": growth, share or level
    direction: Direction | None = None  # up / down, for growth rates and changes


@dataclass(frozen=True)
class ExtractedDocument:
    document: LoadedDocument
    meta: DocumentMeta
    claims: list[Claim]


class ExtractionError(Exception):
    """Extraction of a document failed (a bug, not bad input)."""


class StreamedDocument:
    """A document whose claims are produced a run of lines at a time, so that a
    very large report never holds all its claims at once. `claims()` may be
    iterated once; `count` tells how many it has produced so far."""

    def __init__(
        self, document: LoadedDocument, meta: DocumentMeta, batches: Iterator[list[Claim]]
    ) -> None:
        self.document = document
        self.meta = meta
        self._batches = batches
        self.count = 0

    def claims(self) -> Iterator[Claim]:
        for batch in self._batches:
            self.count += len(batch)
            yield from batch


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim as read back from the store, with its document, for the checker,
    reports and exports."""

    id: int  # row id: valid inside one database only, never part of a finding id
    doc_name: str
    doc_title: str | None
    doc_date: date | None
    doc_hash: str  # content hash of the document's bytes
    doc_scope: str | None
    seq: int
    start: int
    end: int
    surface: str
    value: Decimal
    unit: str
    unit_class: str
    approx: Approx
    metric: str
    metric_rule: str | None
    period: str
    scope: str
    kind: Kind
    modality: Modality
    part_of_id: int | None  # row id of the whole this claim is part of
    sentence: str
    context: str  # original text around the span, for quoting
    context_start: int  # offset of `context` in the original text
    rule_id: str = ""  # id of the number/unit rule that produced it
    metric_key: str = ""  # see Claim.metric_key; "" when the store predates it
    rate_type: RateType | None = None
    direction: Direction | None = None
    doc_genre: str | None = None


@dataclass(frozen=True)
class MetaOverrides:
    """`--date` / `--scope` given on the command line for a single file."""

    date: date | None = None
    scope: str | None = None
