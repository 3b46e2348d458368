"""A manifest: the frame of many files at once, from outside the files.

A CSV file with a header row, or a YAML mapping, names each file by its file
name (or its path relative to the manifest) and gives any of `date`
(YYYY-MM-DD), `scope` and `genre`; what it gives wins over what the text and
its front matter say, as `--date`/`--scope`/`--genre` do for a single file.

    file,date,scope,genre
    qd_gwr_2023.txt,2022-12-29,青岛市,gwr

    # or YAML
    qd_gwr_2023.txt: {date: 2022-12-29, scope: 青岛市, genre: gwr}
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import yaml

from unionfacts.models import MetaOverrides

_FIELDS = ("date", "scope", "genre")


class ManifestError(Exception):
    """The manifest cannot be used; the message names the file and the problem."""


def _date(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ManifestError(f"{where}: date {value!r} is not YYYY-MM-DD") from None


def _overrides(row: dict[str, object], where: str, genres: set[str]) -> MetaOverrides:
    unknown = sorted(k for k in row if k not in _FIELDS)
    if unknown:
        raise ManifestError(f"{where}: unknown field(s) {', '.join(unknown)} (expected {_FIELDS})")
    genre = str(row.get("genre") or "").strip() or None
    if genre is not None and genres and genre not in genres:
        raise ManifestError(f"{where}: unknown genre {genre!r} (one of {sorted(genres)})")
    scope = str(row.get("scope") or "").strip() or None
    return MetaOverrides(date=_date(row.get("date"), where), scope=scope, genre=genre)


def read_manifest(path: Path, genres: set[str] | None = None) -> dict[str, MetaOverrides]:
    """File name (or relative path) -> the frame the manifest gives it."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ManifestError(f"{path}: {e.strerror or e}") from None
    text = raw.decode("utf-8-sig", errors="replace")
    out: dict[str, MetaOverrides] = {}
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as e:
            raise ManifestError(f"{path}: not valid YAML ({type(e).__name__})") from None
        if not isinstance(data, dict):
            raise ManifestError(f"{path}: expected a mapping of file names to fields")
        for name, row in data.items():
            if not isinstance(row, dict):
                raise ManifestError(f"{path} [{name}]: expected a mapping of fields")
            out[str(name)] = _overrides(row, f"{path} [{name}]", genres or set())
        return out
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ManifestError(f"{path}: a CSV manifest needs a header row with a `file` column")
    for line, row in enumerate(reader, start=2):
        name = (row.pop("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}:{line}: no file name")
        fields = {k: v for k, v in row.items() if k is not None}
        out[name] = _overrides(fields, f"{path}:{line}", genres or set())
    return out


def overrides_for(
    path: Path, manifest: dict[str, MetaOverrides], base: Path
) -> MetaOverrides | None:
    """The manifest's row for `path`: by its path relative to the manifest's
    folder, else by its file name."""
    try:
        rel = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        rel = None
    if rel is not None and rel in manifest:
        return manifest[rel]
    return manifest.get(path.name)
