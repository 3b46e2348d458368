"""Extraction of a short report written for a test: one file, read as
`unionfacts ingest` reads it, its claims by surface."""

from __future__ import annotations

from pathlib import Path

from unionfacts.load import load_file
from unionfacts.models import Claim, ExtractedDocument
from unionfacts.pipeline import extract_document
from unionfacts.rules import RuleSet


def extract(tmp_path: Path, text: str, rules: RuleSet, name: str = "r.txt") -> ExtractedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(load_file(path), rules)


def by_surface(doc: ExtractedDocument) -> dict[str, Claim]:
    return {c.surface: c for c in doc.claims}
