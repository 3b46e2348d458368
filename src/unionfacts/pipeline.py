"""The order of the stages, written in one place.

    load (decode, front matter) -> normalize (offset map) -> segment
    -> extract (number candidates) -> resolve (claims) -> [store] -> check
"""

from __future__ import annotations

from unionfacts.models import DocumentMeta, ExtractedDocument, LoadedDocument, MetaOverrides
from unionfacts.rules import RuleSet


def extract_document(
    doc: LoadedDocument, rules: RuleSet, overrides: MetaOverrides | None = None
) -> ExtractedDocument:
    """Every claim of one loaded document. Pure: touches no database."""
    # Placeholder until the extraction stages land; the signature is final.
    return ExtractedDocument(document=doc, meta=DocumentMeta(), claims=[])
