"""A report on one line, with figures and no sentence punctuation (OCR and
PDF dumps), ingests in time linear in its length, and each claim stores a
bounded sentence, not the runaway line."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import text

from unionfacts.layout import MAX_LINE, MAX_SENTENCE, Layout
from unionfacts.load import load_file
from unionfacts.normalize import normalize
from unionfacts.pipeline import extract_document
from unionfacts.rules import RuleSet, load_rules
from unionfacts.store import open_database

PHRASES = [
    "全市新发展会员{}人",
    "建成职工驿站{}个",
    "服务职工{}人次",
    "投入帮扶资金{}万元",
    "覆盖企业{}家",
    "开展培训{}场",
]


def runaway(chars: int, sep: str, seed: int = 1) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        out.append(rng.choice(PHRASES).format(rng.randint(2, 99999)))
        size += len(out[-1]) + len(sep)
    return sep.join(out)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules([])


@pytest.mark.parametrize("sep", [" ", "，", ""], ids=["spaces", "commas", "nothing"])
def test_sentences_and_lines_are_bounded(rules: RuleSet, sep: str) -> None:
    body = runaway(30_000, sep)
    layout = Layout(normalize(body, 0), rules)
    assert all(ln.end - ln.start <= MAX_LINE for ln in layout.lines)
    assert layout.lines[0].start == 0 and layout.lines[-1].end == len(body)
    for pos in range(0, len(body), 997):
        s, e = layout.sentence_span(pos)
        assert s <= pos <= e and e - s <= MAX_SENTENCE


def test_runaway_sentence_is_cut_at_clause_marks(rules: RuleSet) -> None:
    body = runaway(5_000, "，")
    layout = Layout(normalize(body, 0), rules)
    for pos in range(300, 4_000, 101):
        s, e = layout.sentence_span(pos)
        assert body[s - 1] == "，" and body[e] == "，"


def test_ordinary_sentences_are_untouched(rules: RuleSet) -> None:
    body = "全市新发展会员1200人，建成职工驿站45个。服务职工8000人次。\n"
    layout = Layout(normalize(body, 0), rules)
    assert layout.sentence_span(body.index("45")) == (0, body.index("。") + 1)


def test_a_claim_stores_a_bounded_sentence(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(runaway(60_000, " ") + "\n", encoding="utf-8")
    engine = open_database(str(tmp_path / "l.db"))
    from unionfacts.ingest import ingest_paths

    summary = ingest_paths(engine, [path], rules)
    assert summary.ok and summary.claims_stored > 4000
    with engine.connect() as conn:  # sentence and context: the facts view (offsets since 0007)
        longest = conn.execute(text("SELECT max(length(sentence)) FROM facts")).scalar()
        context = conn.execute(text("SELECT max(length(context)) FROM facts")).scalar()
    engine.dispose()
    assert longest <= MAX_SENTENCE
    assert context <= 200
    assert (tmp_path / "l.db").stat().st_size < 60_000 * 400  # was 75 MB for 50 KB


def test_one_long_line_gives_the_figures_of_the_same_text_in_sentences(
    tmp_path: Path, rules: RuleSet
) -> None:
    """The same figures, once as sentences on lines and once as one line
    without sentence marks, give the same values. (How fast the long line
    ingests beside ordinary text is a benchmark's figure, not a test's:
    benchmarks/ingest_bench.py --long-line-mb prints the ratio.)"""
    phrases = runaway(60_000, "\n").splitlines()
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(p + "。\n" for p in phrases), encoding="utf-8")
    one = tmp_path / "one.txt"
    one.write_text(" ".join(phrases) + "\n", encoding="utf-8")
    values = [c.value for c in extract_document(load_file(lines), rules).claims]
    long_values = [c.value for c in extract_document(load_file(one), rules).claims]
    assert len(values) > 4000
    assert long_values == values
