"""Reading rule files: YAML with line numbers, overlays, and problems listed at once.

Every file under `rules/` is YAML whose top level is a mapping of section names
to lists of entries. Each entry is validated by a pydantic model that forbids
unknown keys. A user's `--rules DIR` is an overlay: a file of the same name in
DIR adds entries, and an entry whose `id` (or, for entries without one, whose
key field) already exists replaces the default one.

Problems are collected over all files and raised once as `RulesError`, each
rendered as `rules/metrics.yaml:42 [metrics -> 3 -> aliases] message`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleProblem:
    file: Path
    line: int | None
    where: PathKey
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else str(self.file)
        where = " -> ".join(str(p) for p in self.where)
        return f"{loc} [{where}] {self.message}" if where else f"{loc} {self.message}"


class RulesError(Exception):
    """All problems found while loading rules, raised once."""

    def __init__(self, problems: Sequence[RuleProblem]):
        # a file read for several sections reports its problems once
        self.problems = list(dict.fromkeys(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def default_rules_dir() -> Path:
    """The rules shipped with unionfacts (UNIONFACTS_RULES_DIR overrides, for tests)."""
    env = os.environ.get("UNIONFACTS_RULES_DIR")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parent / "_data" / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


@dataclass
class YamlFile:
    path: Path
    data: Any
    lines: dict[PathKey, int]

    def line_of(self, where: PathKey) -> int | None:
        """Line of the deepest known node along `where` (1-based)."""
        for cut in range(len(where), -1, -1):
            line = self.lines.get(tuple(where[:cut]))
            if line is not None:
                return line
        return None


def _index_lines(node: yaml.Node, where: PathKey, out: dict[PathKey, int]) -> None:
    out[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            out[(*where, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*where, key), out)
            # a scalar value reports its own line; keep the key's line for the path
            out[(*where, key)] = min(out[(*where, key)], key_node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*where, i), out)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
_cache: dict[tuple[Path, float, int], tuple[YamlFile | None, list[RuleProblem]]] = {}


def read_yaml(path: Path) -> tuple[YamlFile | None, list[RuleProblem]]:
    """Parse a rules file (cached on path, mtime and size: a file holding
    several sections is read once)."""
    try:
        st = path.stat()
    except OSError as e:
        return None, [RuleProblem(path, None, (), f"cannot read: {e}")]
    key = (path.resolve(), st.st_mtime, st.st_size)
    if key not in _cache:
        _cache[key] = _read_yaml(path)
    return _cache[key]


def _read_yaml(path: Path) -> tuple[YamlFile | None, list[RuleProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, [RuleProblem(path, None, (), f"cannot read: {e}")]
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        return None, [RuleProblem(path, line, (), f"not valid YAML: {problem}")]
    lines: dict[PathKey, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [RuleProblem(path, 1, (), "the top level must be a mapping of sections")]
    return YamlFile(path, data, lines), []


def rule_file_paths(name: str, extra_dirs: Iterable[Path] = ()) -> list[Path]:
    """The default file `name` followed by any overlay files of the same name."""
    paths = []
    default = default_rules_dir() / name
    if default.exists():
        paths.append(default)
    for d in extra_dirs:
        p = Path(d) / name
        if p.exists():
            paths.append(p)
    return paths


def load_section(
    paths: Sequence[Path],
    section: str,
    model: type[M],
    problems: list[RuleProblem],
    key: str = "id",
) -> list[tuple[M, Path, int | None]]:
    """Validate every entry of `section` in `paths`, later files overriding
    earlier entries with the same `key`. Returns (entry, file, line) triples in
    order; problems are appended to `problems`."""
    merged: dict[object, tuple[M, Path, int | None]] = {}
    for path in paths:
        yf, errs = read_yaml(path)
        problems.extend(errs)
        if yf is None:
            continue
        entries = yf.data.get(section)
        if entries is not None and not isinstance(entries, list):
            problems.append(
                RuleProblem(path, yf.line_of((section,)), (section,), "must be a list of entries")
            )
            continue
        for i, raw in enumerate(entries or []):
            where: PathKey = (section, i)
            try:
                entry = model.model_validate(raw)
            except ValidationError as e:
                for err in e.errors():
                    loc = (*where, *err["loc"])
                    problems.append(RuleProblem(path, yf.line_of(loc), loc, err["msg"]))
                continue
            ident = getattr(entry, key, None)
            merged[ident if ident is not None else (path, i)] = (entry, path, yf.line_of(where))
    return list(merged.values())
