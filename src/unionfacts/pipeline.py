"""The order of the stages, written in one place.

load (decode, front matter) -> normalize (markup out, offset map) -> layout
(lines, sentences, time expressions) -> tables (cells and their headers) ->
extract (number candidates; in tables, one per cell value) -> resolve (claims)
-> [store] -> check
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.extract import find_candidates
from unionfacts.frame import document_meta
from unionfacts.layout import Layout
from unionfacts.models import (
    Claim,
    ExtractedDocument,
    ExtractionError,
    LoadedDocument,
    MetaOverrides,
    StreamedDocument,
)
from unionfacts.normalize import normalize
from unionfacts.resolve import Resolver
from unionfacts.rules import RuleSet
from unionfacts.tables import Tables, table_candidates

# Lines are resolved in runs of about this many characters: the claims of one
# run are stored before the next is read (context never crosses a line).
CHUNK_CHARS = 500_000


def stream_document(
    doc: LoadedDocument,
    rules: RuleSet,
    overrides: MetaOverrides | None = None,
    chunk_chars: int = CHUNK_CHARS,
) -> StreamedDocument:
    """The document's metadata now, and its claims run by run. Pure: touches
    no database."""
    norm = normalize(doc.text, doc.body_start)
    meta = document_meta(doc, norm.text, rules, overrides)
    layout = Layout(norm, rules, meta.genre)
    tables = Tables(norm.text, rules)
    resolver = Resolver(norm, layout, rules, meta, doc.text, tables)

    def batches() -> Iterator[list[Claim]]:
        text = norm.text
        start, seq = 0, 0
        while start < len(text):
            end = text.find("\n", min(len(text), start + chunk_chars))
            end = len(text) if end < 0 else end + 1
            try:
                candidates = table_candidates(
                    text, tables, find_candidates(text, rules, start, end), rules, start, end
                )
                # each claim's surface is the expression as printed, artifacts and all
                claims = resolver.resolve(candidates, first_seq=seq)
            except Exception as e:  # a bug: say which document, keep the cause
                raise ExtractionError(f"{type(e).__name__}: {e}") from e
            seq += len(claims)
            start = end
            yield claims

    return StreamedDocument(doc, meta, batches())


def extract_document(
    doc: LoadedDocument, rules: RuleSet, overrides: MetaOverrides | None = None
) -> ExtractedDocument:
    """Every claim of one loaded document, in a list."""
    streamed = stream_document(doc, rules, overrides)
    return ExtractedDocument(document=doc, meta=streamed.meta, claims=list(streamed.claims()))
