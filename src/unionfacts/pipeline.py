"""The order of the stages, written in one place.

load (decode, front matter) -> normalize (offset map) -> layout (lines,
sentences, time expressions) -> extract (number candidates) -> resolve
(claims) -> [store] -> check
"""

from __future__ import annotations

from unionfacts.extract import find_candidates
from unionfacts.layout import Layout
from unionfacts.meta import document_meta
from unionfacts.models import ExtractedDocument, LoadedDocument, MetaOverrides
from unionfacts.normalize import normalize
from unionfacts.resolve import Resolver
from unionfacts.rules import RuleSet


def extract_document(
    doc: LoadedDocument, rules: RuleSet, overrides: MetaOverrides | None = None
) -> ExtractedDocument:
    """Every claim of one loaded document. Pure: touches no database."""
    norm = normalize(doc.text, doc.body_start)
    meta = document_meta(doc, norm.text, rules, overrides)
    layout = Layout(norm, rules)
    candidates = find_candidates(norm.text, rules)
    # each claim's surface is the expression as printed, artifacts and all
    claims = Resolver(norm, layout, rules, meta, doc.text).resolve(candidates)
    return ExtractedDocument(document=doc, meta=meta, claims=claims)
