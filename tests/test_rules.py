"""Rules are data: every file loads, every example a rule carries is run, and a
broken rules folder is reported whole, with file and line."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from unionfacts.extract import find_candidates
from unionfacts.normalize import normalize
from unionfacts.rulefiles import RulesError, default_rules_dir
from unionfacts.rules import RuleSet, load_rules

RULES = default_rules_dir()


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def _entries(file: str, section: str) -> list[dict[str, object]]:
    data = yaml.safe_load((RULES / file).read_text(encoding="utf-8"))
    return list(data.get(section) or [])


def test_default_rules_load(rules: RuleSet) -> None:
    assert rules.units and rules.exclusions and rules.periods and rules.places and rules.metrics


def test_every_rules_file_documents_its_format() -> None:
    for path in RULES.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("#"), f"{path.name} should open with a comment on its format"


_BRACKET = re.compile(r"\[([^\]]+)\]")


def _example(text: str) -> tuple[str, str]:
    m = _BRACKET.search(text)
    assert m, f"example {text!r} must mark the expression with [brackets]"
    return text[: m.start()] + m.group(1) + text[m.end() :], m.group(1)


EXCLUSION_EXAMPLES = [
    (e["id"], ex, kind)
    for e in _entries("exclusions.yaml", "exclusions")
    for kind in ("examples", "counterexamples")
    for ex in e.get(kind, [])  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("rule_id", "example", "kind"), EXCLUSION_EXAMPLES)
def test_exclusion_examples(rule_id: str, example: str, kind: str, rules: RuleSet) -> None:
    text, expr = _example(example)
    norm = normalize(text)
    exprs = [norm.text[c.start : c.after_end] for c in find_candidates(norm.text, rules)]
    hit = any(expr.startswith(e) or e.startswith(expr) for e in exprs)
    if kind == "examples":
        assert not hit, f"{rule_id}: {expr!r} should be rejected in {text!r}"
    else:
        assert hit, f"{rule_id}: {expr!r} should be kept in {text!r}"


def test_metric_examples(rules: RuleSet) -> None:
    for entry in _entries("metrics.yaml", "metrics"):
        for example in entry.get("examples", []):  # type: ignore[attr-defined]
            hits = {rules.metric_aliases[m.group(0)] for m in rules.metric_regex.finditer(example)}  # type: ignore[union-attr]
            assert entry["id"] in hits, f"{example!r} should name {entry['id']}"


def test_broken_rules_are_listed_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "metrics.yaml").write_text(
        "metrics:\n"
        "  - id: ok\n"
        "    name: 好\n"
        "    aliases: [好指标]\n"
        "  - id: bad\n"
        "    name: 坏\n"
        "    aliasses: [坏指标]\n",
        encoding="utf-8",
    )
    (tmp_path / "periods.yaml").write_text(
        "periods:\n  - {id: broken, pattern: '(unclosed', type: year}\n", encoding="utf-8"
    )
    (tmp_path / "units.yaml").write_text("unitz: []\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules([tmp_path])
    text = str(err.value)
    assert f"{tmp_path / 'metrics.yaml'}:5" in text or f"{tmp_path / 'metrics.yaml'}:7" in text
    assert "aliasses" in text or "aliases" in text
    assert "periods.yaml:2" in text and "bad regex" in text
    assert "unknown section" in text
    assert len(err.value.problems) >= 3


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    (tmp_path / "cues.yaml").write_text("cues:\n  - id: x\n    words: [a, b\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules([tmp_path])
    assert re.search(r"cues\.yaml:\d+ .*not valid YAML", str(err.value))


def test_missing_overlay_dir_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="does not exist"):
        load_rules([tmp_path / "nope"])


def test_overlay_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "metrics.yaml").write_text(
        "metrics:\n"
        "  - {id: warm_stations, name: 爱心驿站, aliases: [爱心驿站]}\n"
        "  - {id: canteens, name: 职工食堂, aliases: [职工食堂]}\n",
        encoding="utf-8",
    )
    (tmp_path / "scopes.yaml").write_text(
        "places:\n  - {id: 云湾市, level: city, parent: 全国, aliases: [云湾]}\n", encoding="utf-8"
    )
    rules = load_rules([tmp_path])
    assert rules.metrics["warm_stations"].name == "爱心驿站"
    assert rules.metric_aliases["职工食堂"] == "canteens"
    assert rules.places["云湾市"].parent == "全国"
    assert "北京市" in rules.places  # defaults stay


def test_duplicate_alias_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "metrics.yaml").write_text(
        "metrics:\n  - {id: twin, name: 双, aliases: [暖心驿站]}\n", encoding="utf-8"
    )
    with pytest.raises(RulesError, match="already names metric"):
        load_rules([tmp_path])


PHRASE_EXAMPLES = [
    (e["id"], ex, kind)
    for e in _entries("phrases.yaml", "patterns")
    for kind in ("examples", "counterexamples")
    for ex in e.get(kind, [])  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("step", "example", "kind"), PHRASE_EXAMPLES)
def test_phrase_pattern_examples(step: str, example: str, kind: str, rules: RuleSet) -> None:
    """Each phrases.yaml pattern finds something in its examples (and nothing
    in its counterexamples), as compiled at load ({units} filled in)."""
    hit = any(m.group(0) for m in rules.phrases[step].finditer(example))
    assert hit == (kind == "examples"), f"{step}: {example!r} ({kind})"


def test_every_phrase_step_has_an_example() -> None:
    missing = [e["id"] for e in _entries("phrases.yaml", "patterns") if not e.get("examples")]
    assert missing == ["time_tail"]  # 由年初的…: matches the empty string too


def test_units_placeholder_is_the_unit_alternation(rules: RuleSet) -> None:
    assert "{units}" not in rules.phrases["context_figure"].pattern
    assert f"(?:{rules.unit_pattern})?" in rules.phrases["context_figure"].pattern
    assert rules.phrases["context_figure"].fullmatch("3.5万人次以上")


def test_phrase_word_sets_name_known_unit_classes(rules: RuleSet) -> None:
    classes = {u.unit_class for u in rules.units.values()}
    for step in ("rate_classes", "share_classes", "event_classes", "year_classes"):
        assert rules.phrase_words[step] <= classes, step


def test_single_phrase_words(rules: RuleSet) -> None:
    assert rules.phrase_word["share_name"] == "占比"
    assert rules.phrase_word["events_suffix"] == "次数"
    assert rules.phrase_word["part_link"] == "中的"


def test_phrase_word_of_two_words_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "phrases.yaml").write_text(
        "words:\n  - {id: share_name, words: [占比, 比重]}\n", encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"share_name.*needs exactly one word"):
        load_rules([tmp_path])


def test_missing_phrase_entries_are_named() -> None:
    from unionfacts.rulefiles import RuleProblem
    from unionfacts.rules import _phrase_rules

    def section(file: str, name: str, model: type[Any]) -> list[tuple[object, Path, int]]:
        entries = _entries(file, name)
        kept = [e for e in entries if e["id"] not in ("alias_tail", "share_name")]
        assert len(kept) == len(entries) - 1
        return [(model(**e), RULES / file, 1) for e in kept]

    problems: list[RuleProblem] = []
    _phrase_rules(section, problems, "个")
    assert len(problems) == 1
    assert "missing entries: alias_tail, share_name" in problems[0].message


FORM_EXAMPLES = [
    (e["id"], ex, kind)
    for e in _entries("numbers.yaml", "forms")
    for kind in ("examples", "counterexamples")
    for ex in e.get(kind, [])  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("form", "example", "kind"), FORM_EXAMPLES)
def test_number_form_examples(form: str, example: str, kind: str, rules: RuleSet) -> None:
    hit = rules.number_forms[form].search(example) is not None
    assert hit == (kind == "examples"), f"{form}: {example!r} ({kind})"


@pytest.mark.parametrize(
    ("text", "value"),
    [("女职工约占三成", "30"), ("超过总数的四分之一", "25"), ("收入翻两番", "300")],
)
def test_number_forms_make_candidates(text: str, value: str, rules: RuleSet) -> None:
    assert [str(c.value) for c in find_candidates(text, rules)] == [value]


def test_a_missing_number_form_is_named() -> None:
    from unionfacts.rulefiles import RuleProblem
    from unionfacts.rules import _number_forms

    def section(file: str, name: str, model: type[Any]) -> list[tuple[object, Path, int]]:
        kept = [e for e in _entries(file, name) if e["id"] != "doubling"]
        return [(model(**e), RULES / file, 1) for e in kept]

    problems: list[RuleProblem] = []
    _number_forms(section, problems)
    assert [p.message for p in problems] == ["missing forms: doubling"]


FRAME_EXAMPLES = [
    (e["id"], ex, kind)
    for e in _entries("genres.yaml", "frame_patterns")
    for kind in ("examples", "counterexamples")
    for ex in e.get(kind, [])  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("pattern_id", "example", "kind"), FRAME_EXAMPLES)
def test_frame_pattern_examples(pattern_id: str, example: str, kind: str, rules: RuleSet) -> None:
    hit = rules.frame.patterns[pattern_id].search(example) is not None
    assert hit == (kind == "examples"), f"{pattern_id}: {example!r} ({kind})"


@pytest.mark.parametrize(
    ("text", "year"),
    [("到2030年底建成，2023年完成", 2023), ("较2023年增长，2022年达到", 2022)],
)
def test_years_after_a_target_or_base_word_are_not_reviewed(
    text: str, year: int, rules: RuleSet
) -> None:
    from unionfacts.frame import infer_year

    assert infer_year(text, rules) == year
