"""The extraction rule set: loaded once from rules/, validated, compiled.

Each rules file has a pydantic schema here (unknown keys are errors). Loading
collects every problem of every file (see rulefiles.py) and raises once.
Meaning is validated too: every regex compiles, named groups the resolver
reads exist, aliases and unit words are not claimed twice, parents exist.
The result is one immutable `RuleSet` with compiled regexes that the stages
share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from unionfacts.places import (
    PlaceEntry,
    PlaceIndex,
    PlaceMatcher,
    build_places,
    read_gazetteer,
)
from unionfacts.rulefiles import RuleProblem, RulesError, load_section, read_yaml, rule_file_paths


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


E = TypeVar("E", bound=_Entry)


# ---- schemas, one per section ---------------------------------------------


class UnitRule(_Entry):
    id: str
    words: list[str] = Field(min_length=1)
    unit: str
    class_: str = Field(alias="class")
    kind: Literal["flow", "stock", "rate"] | None = None
    default_kind: Literal["flow", "stock"] | None = None
    needs_arabic: bool = False


class NounUnitRule(_Entry):
    id: str
    nouns: list[str] = Field(min_length=1)
    unit: str
    class_: str = Field(alias="class")


class MultiplierRule(_Entry):
    id: str
    word: str
    factor: int


class ApproxRule(_Entry):
    id: str
    word: str
    approx: Literal["exact", "over", "under", "about"]
    position: Literal["prefix", "suffix", "after_unit"]
    reach: int = 0


class WordNumberRule(_Entry):
    id: str
    word: str
    value: float
    unit: str


class VagueRule(_Entry):
    id: str
    word: str
    value: int


class TableWordsRule(_Entry):
    id: str
    role: Literal[
        "unit_header", "unit_word", "count_header", "share_word", "relative_header", "note_marker"
    ]
    words: list[str] = Field(min_length=1)
    unit: str | None = None


class ExclusionRule(_Entry):
    id: str
    before: str | None = None
    expr: str | None = None
    after: str | None = None
    numeral: Literal["chinese", "arabic"] | None = None
    value: float | None = None
    examples: list[str] = []
    counterexamples: list[str] = []


PeriodType = Literal[
    "year",
    "half",
    "quarter",
    "month",
    "day",
    "day_range",
    "month_range",
    "year_range",
    "since",
    "since_fixed",
    "past_years",
    "review",
    "asof_now",
    "asof_year_end",
    "target_year_end",
    "current_year",
    "next_years",
    "year_start",
    "year_end",
    "quarters_to_date",
    "fixed_span",
    "asof_month",
    "year_to_date",
    "this_year",
    "last_year",
    "next_year",
    "year_before_last",
    "weekday",
    "past_months",
    "first_months",
    "fiscal_year",
    "unknown",
]


class PeriodRule(_Entry):
    id: str
    pattern: str
    type: PeriodType
    start: str | None = None
    end: str | None = None
    requires: list[str] = []
    strength: Literal["sentence", "paragraph", "section"] = "paragraph"
    genres: list[str] = []
    examples: list[str] = []


class PlaceRule(_Entry):
    id: str
    # may be left out for a place of the gazetteer (to add aliases to it)
    level: Literal["country", "region", "province", "city", "district", "organisation"] | None = (
        None
    )
    parent: str | None = None
    aliases: list[str] = []


class RelativePlaceRule(_Entry):
    id: str
    word: str
    level: Literal["country", "province", "city", "district"]


class TitlePatternRule(_Entry):
    id: str
    pattern: str


class MetricRule(_Entry):
    id: str
    name: str
    flow_name: str | None = None
    aliases: list[str] = Field(min_length=1)
    unit_class: str | None = None
    kind: Literal["flow", "stock", "rate"] | None = None
    examples: list[str] = []


class ConceptRule(_Entry):
    id: str
    name: str
    aliases: list[str] = Field(min_length=1)
    examples: list[str] = []
    # words that make the concept's figure one of another coverage or price
    # basis (全社会 固定资产投资, 实际 增长): the key becomes `id~word`
    qualifiers: list[str] = []
    # regexes a whole fingerprint may match instead of an alias, for concepts
    # told by a verb and its object (向…失业人员发放失业保险待遇)
    patterns: list[str] = []


class CueRule(_Entry):
    id: str
    sets: Literal["kind", "modality", "part_of", "change", "levels", "rate", "period"]
    value: str
    words: list[str] = Field(min_length=1)
    where: Literal["before", "heading"] = "before"
    units: list[str] = []
    genres: list[str] = []


class GenreRule(_Entry):
    id: str
    name: str
    words: list[str] = []
    front_matter: list[str] = []
    frame: Literal["plan", "title_year", "span", "dated"]
    late_months: list[int] = []
    kind_cues: dict[Literal["flow", "stock", "level", "neutral"], list[str]] = {}
    flow_units: list[str] = []
    time_reach: Literal["paragraph", "sentence"] = "paragraph"
    default_kind: Literal["flow", "stock"] = "flow"
    level_units: list[str] = []
    undated_words: list[str] = []
    examples: list[str] = []


class IssuerRule(_Entry):
    id: str
    scope: str
    words: list[str] = Field(min_length=1)


class BylineRule(_Entry):
    id: str
    pattern: str


class RegionalRule(_Entry):
    place: str
    script: Literal["traditional", "simplified"]
    min_count: int = 1
    words: list[str] = Field(min_length=1)


class DatelineRule(_Entry):
    id: str
    pattern: str


class PhrasePatternRule(_Entry):
    id: str
    pattern: str
    examples: list[str] = []
    counterexamples: list[str] = []


class PhraseWordsRule(_Entry):
    id: str
    words: list[str] = Field(min_length=1)


# The steps of the metric reader and the resolver that read rules/phrases.yaml.
PHRASE_PATTERNS = (
    "display_tail",
    "lead_trim",
    "tail_trim",
    "subject",
    "change_to",
    "time_tail",
    "subject_words",
    "link_tail",
    "part_opening",
    "target_after",
    "population_after",
    "share_of_units_after",
    "class_of_after",
    "average_before",
    "level_reached_before",
    "alias_tail",
    "context_figure",
    "share_link_tail",
    "figure_join",
    "range_before",
    "scaled",
)
PHRASE_WORDS = (
    "rate_heads",
    "counted_units",
    "linking_words",
    "not_leading_verbs",
    "noun_phrase_marks",
    "rate_classes",
    "share_classes",
    "event_classes",
    "year_classes",
)
# The frame_patterns of rules/genres.yaml that frame.py reads.
FRAME_PATTERNS = ("year_in_text", "numbered_item")
# The forms of rules/numbers.yaml that the number finder writes into its regex.
NUMBER_FORMS = ("tenths", "per_part", "short_fraction", "doubling")
# Word sets of exactly one word: a word the reader writes into a metric name or
# looks for at one place.
PHRASE_WORD = (
    "share_name",
    "events_suffix",
    "first_half",
    "attribute_mark",
    "respectively",
    "part_link",
    "far_approx_end",
)
# Written in a phrase pattern, stands for the alternation of the unit words.
UNITS_PLACEHOLDER = "{units}"


class _WordList(_Entry):
    """A bare list of words stored as a section (generic_heads, modifiers)."""


# ---- compiled rule set -------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    rule_id: str
    unit: str
    unit_class: str
    kind: str | None
    needs_arabic: bool
    default_kind: str | None = None


@dataclass(frozen=True)
class Exclusion:
    id: str
    before: re.Pattern[str] | None
    expr: re.Pattern[str] | None
    after: re.Pattern[str] | None
    numeral: str | None
    value: float | None


@dataclass(frozen=True)
class PeriodExpr:
    id: str
    type: str
    start: str | None
    strength: str
    end: str | None = None
    requires: tuple[str, ...] = ()
    genres: frozenset[str] = frozenset()  # tried only in documents of these genres (any: empty)


@dataclass(frozen=True)
class Place:
    id: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    flow_name: str | None
    unit_class: str | None
    kind: str | None


@dataclass(frozen=True)
class Genre:
    id: str
    name: str
    words: tuple[str, ...]
    front_matter: tuple[str, ...]
    frame: str
    late_months: frozenset[int]
    examples: tuple[str, ...] = ()  # titles that must give this genre (run by the tests)
    # kind cues that read otherwise in this genre (建成 in a government's yearly
    # account is what was built that year): word -> flow|stock|level|neutral
    kind_cues: tuple[tuple[str, str], ...] = ()
    # units whose amounts a weak level cue (突破, 超过) leaves flows: a year's
    # trade or spending that 突破3万亿元 is still that year's amount
    flow_units: frozenset[str] = frozenset()
    # how far the time of an earlier sentence reaches: its paragraph and the
    # section under a dated heading, or (news) its own sentence only
    time_reach: str = "paragraph"
    default_kind: str = "flow"  # the kind of a figure that no unit or cue decides
    level_units: frozenset[str] = frozenset()  # units that are levels whatever the cues
    # words that leave a figure with no time of its own undated (?): 平均, 要求
    undated_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameRules:
    """rules/genres.yaml, compiled: what decides a document's frame."""

    genres: tuple[Genre, ...] = ()
    issuers: tuple[tuple[str, str, str], ...] = ()  # (word, issuer id, scope), in file order
    bylines: tuple[re.Pattern[str], ...] = ()
    regional: tuple[RegionalRule, ...] = ()
    datelines: tuple[re.Pattern[str], ...] = ()
    # frame_patterns of genres.yaml, by FRAME_PATTERNS id
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    not_reviewed_before: frozenset[str] = frozenset()  # 到2025年: no year under review


# eq=False: a rule set is equal only to itself and hashes by identity, so the
# stages can memoise what they compile from it (functools.cache).
@dataclass(frozen=True, eq=False)
class RuleSet:
    units: dict[str, Unit]  # unit word -> unit
    unit_pattern: str  # alternation of unit words, longest first
    noun_units: dict[str, Unit]
    noun_unit_pattern: str
    multipliers: dict[str, int]
    approx_prefix: Sequence[tuple[str, str, int]]  # (word, approx, reach), longest first
    approx_suffix: Mapping[str, str]
    approx_after: Mapping[str, str]
    vague: dict[str, int]
    exclusions: list[Exclusion]
    periods: list[PeriodExpr]
    period_regex: re.Pattern[str]  # one alternation; group name p<i> = periods[i]
    period_patterns: tuple[re.Pattern[str], ...]  # the same, one each (ten times faster to scan)
    places: dict[str, Place]  # the gazetteer's and scopes.yaml's
    place_aliases: dict[str, str]  # surface -> its first place (see place_named)
    place_index: PlaceIndex  # surface -> every place it may name
    place_regex: PlaceMatcher | None  # place and relative words (not inside other names)
    relative_places: Mapping[str, str]  # 全市 -> city
    title_patterns: list[re.Pattern[str]]
    metrics: dict[str, Metric]
    metric_aliases: dict[str, str]  # alias -> metric id
    metric_regex: re.Pattern[str] | None
    generic_heads: frozenset[str]
    modifiers: frozenset[str]
    kind_cues: dict[str, str]  # word -> flow|stock|rate
    modality_cues: dict[str, str]
    heading_modality: dict[str, str]
    part_markers: tuple[str, ...]
    cue_regex: re.Pattern[str]
    # 分经济类型看, 分门类看: a breakdown of the paragraph's total follows
    breakdown_markers: tuple[str, ...] = ()
    level_from: tuple[str, ...] = ()  # 由, 从: the levels of a change (cues.yaml)
    level_to: tuple[str, ...] = ()
    to_level: tuple[str, ...] = ()  # 提高到, 达到: the level a change reaches
    # 总投资, 总库容 right before a figure that describes a project (总投资130亿元的…):
    # the project's size, which no time of the text dates
    undated_before: tuple[str, ...] = ()
    rate_cues: Mapping[str, str] = field(default_factory=dict)  # 增长 -> up, 占 -> share
    rate_regex: re.Pattern[str] | None = None
    concepts: Mapping[str, str] = field(default_factory=dict)  # alias -> concept id
    key_drop: re.Pattern[str] | None = None  # words a metric key leaves out
    key_drop_edges: str = ""  # one-character ones, left out only at the ends
    point_rate_heads: tuple[str, ...] = ()  # 覆盖率, 比重: rates that are levels
    yearly_share_words: tuple[str, ...] = ()  # 优良, 断面: shares of a year's observations
    # kind cues that set the kind only of figures in these units (月薪 dates money)
    kind_cue_units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # modality cues that hold only in documents of these genres (news: 要求, 争取)
    modality_cue_genres: Mapping[str, frozenset[str]] = field(default_factory=dict)
    rate_qualifiers: frozenset[str] = frozenset()  # 实际, 名义: a rate's own qualifier
    key_qualifiers: tuple[str, ...] = ()  # 区级, 农村: words that make another quantity
    # concept id -> words that change its coverage or price basis (全社会, 实际)
    concept_qualifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    concept_patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # (pattern, concept id)
    # rules/tables.yaml: role -> words, and count-header word -> unit word
    table_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    count_units: Mapping[str, str] = field(default_factory=dict)
    frame: FrameRules = FrameRules()
    # rules/phrases.yaml: the metric reader's patterns and word sets, by step
    phrases: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    phrase_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    phrase_word: Mapping[str, str] = field(default_factory=dict)  # PHRASE_WORD's ids
    # rules/numbers.yaml forms: the number finder's fractions and doublings
    number_forms: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    word_numbers: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # 一半 -> (50, %)

    def genre(self, genre_id: str | None) -> Genre | None:
        return next((g for g in self.frame.genres if g.id == genre_id), None)

    def kind_cues_for(self, genre: Genre | None) -> tuple[dict[str, str], re.Pattern[str]]:
        """The kind cues and the cue regex of a document of `genre`: the
        genre's own readings of cue words (genres.yaml `kind_cues`) over the
        general ones of cues.yaml."""
        if genre is None or not genre.kind_cues:
            return self.kind_cues, self.cue_regex
        cues = {**self.kind_cues, **dict(genre.kind_cues)}
        if all(w in self.kind_cues for w, _ in genre.kind_cues):
            return cues, self.cue_regex
        words = list(cues) + list(self.modality_cues) + list(self.part_markers)
        return cues, re.compile(_alternation(words))

    def place_named(self, word: str, home: str | None, near: Sequence[str] = ()) -> str | None:
        """The place a surface word names, ambiguity resolved against the
        places `near` it and the document's `home` scope (PlaceIndex.named)."""
        return self.place_index.named(word, home, near)

    def parent_of(self, place: str) -> str | None:
        p = self.places.get(place)
        return p.parent if p else None

    def ancestor_at(self, place: str | None, level: str) -> str | None:
        """The place itself or its nearest ancestor at `level`."""
        seen = 0
        while place and seen < 10:
            p = self.places.get(place)
            if p is None:
                return None
            if p.level == level:
                return place
            place = p.parent
            seen += 1
        return None


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _unit_alternation(unit_words: Sequence[str], not_units: Sequence[str]) -> str:
    """Unit words, longest first, each kept from the start of a noun that
    begins with it (家 of 家庭, 名 of 名单): `not_units` in units.yaml."""
    out = []
    for w in sorted(set(unit_words), key=lambda w: (-len(w), w)):
        nxt = sorted({n[len(w)] for n in not_units if len(n) > len(w) and n.startswith(w)})
        guard = f"(?![{''.join(re.escape(c) for c in nxt)}])" if nxt else ""
        out.append(re.escape(w) + guard)
    return "|".join(out)


def _suffix_groups(pattern: str, suffix: str) -> str:
    """`pattern` with every named group (and back-reference) renamed name+suffix."""
    pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1{suffix}>", pattern)
    return re.sub(r"\(\?P=(\w+)\)", rf"(?P=\1{suffix})", pattern)


def _compile(
    pattern: str, where: tuple[Path, int | None, tuple[str | int, ...]], problems: list[RuleProblem]
) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error as e:
        problems.append(RuleProblem(where[0], where[1], where[2], f"bad regex {pattern!r}: {e}"))
        return None


_SECTIONS = {
    "units.yaml": {"units", "noun_units", "not_units"},
    "numbers.yaml": {"multipliers", "approx", "vague", "words", "forms"},
    "exclusions.yaml": {"exclusions"},
    "periods.yaml": {"periods"},
    "scopes.yaml": {
        "places",
        "relative",
        "title_patterns",
        "not_short_names",
        "not_names",
        "name_suffixes",
    },
    "metrics.yaml": {
        "metrics",
        "generic_heads",
        "modifiers",
        "concepts",
        "key_drop",
        "point_rate_heads",
        "yearly_share_words",
        "rate_qualifiers",
        "key_qualifiers",
    },
    "cues.yaml": {"cues"},
    "genres.yaml": {
        "genres",
        "issuers",
        "bylines",
        "regional",
        "datelines",
        "frame_patterns",
        "not_reviewed_before",
    },
    "phrases.yaml": {"patterns", "words"},
    "tables.yaml": {"table_words"},
}


def _check_sections(extra: Sequence[Path], problems: list[RuleProblem]) -> None:
    """A misspelt section name would silently load nothing: report it."""
    for file, allowed in _SECTIONS.items():
        for path in rule_file_paths(file, extra):
            yf, _errs = read_yaml(path)
            if yf is None:
                continue
            for name in yf.data:
                if name not in allowed:
                    problems.append(
                        RuleProblem(
                            path,
                            yf.line_of((str(name),)),
                            (str(name),),
                            f"unknown section (expected one of {sorted(allowed)})",
                        )
                    )


def load_rules(extra_dirs: Sequence[Path] = ()) -> RuleSet:
    """Load the default rules plus overlays from `extra_dirs`; raise RulesError
    listing every problem when anything is wrong."""
    problems: list[RuleProblem] = []
    extra = [Path(d) for d in extra_dirs]
    for d in extra:
        if not d.is_dir():
            problems.append(RuleProblem(d, None, (), "rules directory does not exist"))

    def section(file: str, name: str, model: type[E]) -> list[tuple[E, Path, int | None]]:
        return load_section(rule_file_paths(file, extra), name, model, problems)

    def words(file: str, name: str) -> list[str]:
        out: list[str] = []
        for path in rule_file_paths(file, extra):
            yf, _errs = read_yaml(path)  # errors are reported by load_section
            if yf is None:
                continue
            value = yf.data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(
                    RuleProblem(path, yf.line_of((name,)), (name,), "must be a list of words")
                )
                continue
            out.extend(value)
        return out

    # units
    units: dict[str, Unit] = {}
    for unit_rule, path, line in section("units.yaml", "units", UnitRule):
        for w in unit_rule.words:
            if w in units and units[w].rule_id != unit_rule.id:
                problems.append(
                    RuleProblem(
                        path,
                        line,
                        ("units", unit_rule.id),
                        f"unit word {w!r} already belongs to {units[w].rule_id}",
                    )
                )
            units[w] = Unit(
                unit_rule.id,
                unit_rule.unit,
                unit_rule.class_,
                unit_rule.kind,
                unit_rule.needs_arabic,
                unit_rule.default_kind,
            )
    noun_units: dict[str, Unit] = {}
    for noun_unit, _path, _line in section("units.yaml", "noun_units", NounUnitRule):
        for w in noun_unit.nouns:
            noun_units[w] = Unit(noun_unit.id, noun_unit.unit, noun_unit.class_, None, False)

    # numbers
    multipliers = {}
    for multiplier, path, line in section("numbers.yaml", "multipliers", MultiplierRule):
        if (
            multiplier.factor <= 0
            or len(str(multiplier.factor).rstrip("0")) != 1
            or str(multiplier.factor)[0] != "1"
        ):
            problems.append(
                RuleProblem(
                    path, line, ("multipliers", multiplier.id), "factor must be a power of ten"
                )
            )
        multipliers[multiplier.word] = multiplier.factor
    prefix, suffix, after = [], {}, {}
    for marker, _path, _line in section("numbers.yaml", "approx", ApproxRule):
        if marker.position == "prefix":
            prefix.append((marker.word, marker.approx, marker.reach))
        elif marker.position == "suffix":
            suffix[marker.word] = marker.approx
        else:
            after[marker.word] = marker.approx
    prefix.sort(key=lambda t: -len(t[0]))
    vague = {}
    for vague_word, _path, _line in section("numbers.yaml", "vague", VagueRule):
        vague[vague_word.word] = vague_word.value

    # exclusions
    exclusions = []
    for exclusion_rule, path, line in section("exclusions.yaml", "exclusions", ExclusionRule):
        where = (path, line, ("exclusions", exclusion_rule.id))
        before = (
            _compile(f"(?:{exclusion_rule.before})$", where, problems)
            if exclusion_rule.before
            else None
        )
        expr = _compile(exclusion_rule.expr, where, problems) if exclusion_rule.expr else None
        after_ = _compile(exclusion_rule.after, where, problems) if exclusion_rule.after else None
        if not (
            exclusion_rule.before
            or exclusion_rule.expr
            or exclusion_rule.after
            or exclusion_rule.value is not None
        ):
            problems.append(RuleProblem(path, line, where[2], "an exclusion needs a pattern"))
        exclusions.append(
            Exclusion(
                exclusion_rule.id,
                before,
                expr,
                after_,
                exclusion_rule.numeral,
                exclusion_rule.value,
            )
        )

    # periods: one alternation, tried leftmost-longest by the resolver
    periods: list[PeriodExpr] = []
    alternatives: list[str] = []
    period_patterns: list[re.Pattern[str]] = []
    for i, (period_rule, path, line) in enumerate(section("periods.yaml", "periods", PeriodRule)):
        where = (path, line, ("periods", period_rule.id))
        compiled = _compile(period_rule.pattern, where, problems)
        if compiled is None:
            continue
        if period_rule.type == "since_fixed" and not (
            period_rule.start and re.fullmatch(r"\d{4}-\d{2}", period_rule.start)
        ):
            problems.append(RuleProblem(path, line, where[2], "since_fixed needs start: YYYY-MM"))
        for ex in period_rule.examples:
            if not compiled.search(ex):
                problems.append(RuleProblem(path, line, where[2], f"example {ex!r} does not match"))
            elif period_rule.requires and not any(w in ex for w in period_rule.requires):
                # the pattern would never be tried on this text
                problems.append(
                    RuleProblem(path, line, where[2], f"example {ex!r} holds none of `requires`")
                )
        # rename groups so that one big regex can hold every pattern
        alternatives.append(f"(?P<p{i}>{_suffix_groups(period_rule.pattern, f'_{i}')})")
        period_patterns.append(compiled)
        if period_rule.type == "fixed_span" and not (
            period_rule.start
            and period_rule.end
            and re.fullmatch(r"\d{4}", period_rule.start)
            and re.fullmatch(r"\d{4}", period_rule.end)
        ):
            problems.append(
                RuleProblem(path, line, where[2], "fixed_span needs start and end: YYYY")
            )
        periods.append(
            PeriodExpr(
                period_rule.id,
                period_rule.type,
                period_rule.start,
                period_rule.strength,
                period_rule.end,
                tuple(period_rule.requires),
                frozenset(period_rule.genres),
            )
        )
    period_regex = re.compile("|".join(alternatives) or "(?!x)x")

    # places: the gazetteer, then scopes.yaml entries adding or replacing places
    rows = [
        row for p in rule_file_paths("gazetteer.tsv", extra) for row in read_gazetteer(p, problems)
    ]
    place_entries = [
        PlaceEntry(rule.id, rule.level, rule.parent, tuple(rule.aliases), path, line)
        for rule, path, line in section("scopes.yaml", "places", PlaceRule)
    ]
    built = build_places(
        rows,
        place_entries,
        frozenset(words("scopes.yaml", "not_short_names")),
        frozenset(words("scopes.yaml", "not_names")),
        problems,
    )
    places = {pid: Place(pid, level, parent) for pid, (level, parent) in built.levels.items()}
    place_aliases = {w: ids[0] for w, ids in built.index.candidates.items()}
    suffixes = words("scopes.yaml", "name_suffixes")
    suffix_rx = None
    if suffixes:
        suffix_where = (rule_file_paths("scopes.yaml", extra)[0], None, ("name_suffixes",))
        suffix_rx = _compile("|".join(f"(?:{w})" for w in suffixes), suffix_where, problems)
    relative = {}
    for relative_word, _path, _line in section("scopes.yaml", "relative", RelativePlaceRule):
        relative[relative_word.word] = relative_word.level
    title_patterns = []
    for title_rule, path, line in section("scopes.yaml", "title_patterns", TitlePatternRule):
        c = _compile(title_rule.pattern, (path, line, ("title_patterns", title_rule.id)), problems)
        if c is not None:
            if "place" not in c.groupindex:
                problems.append(
                    RuleProblem(
                        path,
                        line,
                        ("title_patterns", title_rule.id),
                        "pattern needs a (?P<place>...) group",
                    )
                )
            else:
                title_patterns.append(c)
    place_words = list(place_aliases) + list(relative)
    place_regex = (
        PlaceMatcher(place_words, built.bound, suffix_rx, built.loose | frozenset(relative))
        if place_words
        else None
    )

    # metrics
    metrics: dict[str, Metric] = {}
    metric_aliases: dict[str, str] = {}
    for metric_rule, path, line in section("metrics.yaml", "metrics", MetricRule):
        metrics[metric_rule.id] = Metric(
            metric_rule.id,
            metric_rule.name,
            metric_rule.flow_name,
            metric_rule.unit_class,
            metric_rule.kind,
        )
        for a in metric_rule.aliases:
            if a in metric_aliases and metric_aliases[a] != metric_rule.id:
                problems.append(
                    RuleProblem(
                        path,
                        line,
                        ("metrics", metric_rule.id),
                        f"alias {a!r} already names metric {metric_aliases[a]}",
                    )
                )
            metric_aliases[a] = metric_rule.id
    metric_regex = re.compile(_alternation(list(metric_aliases))) if metric_aliases else None
    concepts: dict[str, str] = {}
    concept_qualifiers: dict[str, tuple[str, ...]] = {}
    concept_patterns: list[tuple[re.Pattern[str], str]] = []
    for concept, path, line in section("metrics.yaml", "concepts", ConceptRule):
        for pattern in concept.patterns:
            try:
                concept_patterns.append((re.compile(pattern), concept.id))
            except re.error as e:
                problems.append(
                    RuleProblem(path, line, ("concepts", concept.id, "patterns"), f"bad regex: {e}")
                )
        if concept.qualifiers:
            concept_qualifiers[concept.id] = tuple(
                sorted(concept.qualifiers, key=lambda w: (-len(w), w))
            )
        for a in concept.aliases:
            if a in concepts and concepts[a] != concept.id:
                problems.append(
                    RuleProblem(
                        path,
                        line,
                        ("concepts", concept.id),
                        f"alias {a!r} already names concept {concepts[a]}",
                    )
                )
            concepts[a] = concept.id
    for metric_id, metric_alias in ((m, a) for a, m in metric_aliases.items()):
        concepts.setdefault(metric_alias, metric_id)  # a metric rule is a concept too
    key_drop = words("metrics.yaml", "key_drop")
    generic_heads = frozenset(words("metrics.yaml", "generic_heads"))
    modifiers = frozenset(words("metrics.yaml", "modifiers"))

    # cues
    kind_cues: dict[str, str] = {}
    kind_cue_units: dict[str, frozenset[str]] = {}
    modality_cues: dict[str, str] = {}
    modality_cue_genres: dict[str, frozenset[str]] = {}
    heading_modality: dict[str, str] = {}
    part_markers: list[str] = []
    breakdown_markers: list[str] = []
    level_from: list[str] = []
    level_to: list[str] = []
    to_level: list[str] = []
    rate_cues: dict[str, str] = {}
    undated_before: list[str] = []
    for cue, path, line in section("cues.yaml", "cues", CueRule):
        for w in cue.words:
            if cue.sets == "kind":
                if cue.value not in ("flow", "stock", "rate", "change", "level", "neutral"):
                    problems.append(
                        RuleProblem(
                            path,
                            line,
                            ("cues", cue.id),
                            "kind must be flow|stock|rate|change|level|neutral",
                        )
                    )
                kind_cues[w] = cue.value
                if cue.units:
                    kind_cue_units[w] = frozenset(cue.units)
            elif cue.sets == "modality":
                if cue.value not in ("actual", "target"):
                    problems.append(
                        RuleProblem(path, line, ("cues", cue.id), "modality must be actual|target")
                    )
                (heading_modality if cue.where == "heading" else modality_cues)[w] = cue.value
                if cue.genres:
                    modality_cue_genres[w] = frozenset(cue.genres)
            elif cue.sets == "part_of":
                if cue.value not in ("part", "breakdown"):
                    problems.append(
                        RuleProblem(path, line, ("cues", cue.id), "part_of must be part|breakdown")
                    )
                (breakdown_markers if cue.value == "breakdown" else part_markers).append(w)
            elif cue.sets == "levels":
                {"from": level_from, "to": level_to}.get(cue.value, to_level).append(w)
            elif cue.sets == "period":
                if cue.value != "undated":
                    problems.append(
                        RuleProblem(path, line, ("cues", cue.id), "period must be undated")
                    )
                undated_before.append(w)
            elif cue.sets == "rate":
                if cue.value not in ("up", "down", "share", "none"):
                    problems.append(
                        RuleProblem(path, line, ("cues", cue.id), "rate must be up|down|share|none")
                    )
                rate_cues[w] = cue.value
    cue_words = list(kind_cues) + list(modality_cues) + part_markers
    cue_regex = re.compile(_alternation(cue_words) or "(?!x)x")

    frame = _frame_rules(section, problems, words("genres.yaml", "not_reviewed_before"))
    genre_ids = {g.id for g in frame.genres}
    canonical = {u.unit for u in units.values()}
    for cue, path, line in section("cues.yaml", "cues", CueRule):
        for unknown in sorted(set(cue.units) - canonical):
            problems.append(RuleProblem(path, line, ("cues", cue.id), f"unknown unit {unknown!r}"))
        for unknown in sorted(set(cue.genres) - genre_ids):
            problems.append(RuleProblem(path, line, ("cues", cue.id), f"unknown genre {unknown!r}"))
        if cue.genres and cue.sets != "modality":
            problems.append(RuleProblem(path, line, ("cues", cue.id), "genres: modality cues only"))
    for g in frame.genres:
        for unknown in sorted(g.level_units - canonical):
            problems.append(
                RuleProblem(
                    Path("rules/genres.yaml"), None, ("genres", g.id), f"unknown unit {unknown!r}"
                )
            )
    for period_expr in periods:
        for unknown in sorted(period_expr.genres - genre_ids):
            problems.append(
                RuleProblem(
                    Path("rules/periods.yaml"),
                    None,
                    ("periods", period_expr.id),
                    f"unknown genre {unknown!r}",
                )
            )
    unit_pattern = _unit_alternation(list(units), words("units.yaml", "not_units"))
    phrases, phrase_words, phrase_word = _phrase_rules(section, problems, unit_pattern)
    number_forms = _number_forms(section, problems)
    word_numbers = {}
    for wn, path, line in section("numbers.yaml", "words", WordNumberRule):
        if wn.unit not in units:
            problems.append(RuleProblem(path, line, ("words", wn.id), f"unknown unit {wn.unit!r}"))
        word_numbers[wn.word] = (str(wn.value).removesuffix(".0"), wn.unit)
    table_words: dict[str, list[str]] = {}
    count_units: dict[str, str] = {}
    for tw, _path, _line in section("tables.yaml", "table_words", TableWordsRule):
        table_words.setdefault(tw.role, []).extend(tw.words)
        if tw.role == "count_header" and tw.unit:
            count_units.update(dict.fromkeys(tw.words, tw.unit))

    _check_sections(extra, problems)
    if problems:
        raise RulesError(problems)
    return RuleSet(
        units=units,
        unit_pattern=unit_pattern,
        noun_units=noun_units,
        noun_unit_pattern=_alternation(list(noun_units)),
        multipliers=multipliers,
        approx_prefix=prefix,
        approx_suffix=suffix,
        approx_after=after,
        vague=vague,
        exclusions=exclusions,
        periods=periods,
        period_regex=period_regex,
        period_patterns=tuple(period_patterns),
        places=places,
        place_aliases=place_aliases,
        place_index=built.index,
        place_regex=place_regex,
        relative_places=relative,
        title_patterns=title_patterns,
        metrics=metrics,
        metric_aliases=metric_aliases,
        metric_regex=metric_regex,
        generic_heads=generic_heads,
        modifiers=modifiers,
        kind_cues=kind_cues,
        kind_cue_units=kind_cue_units,
        modality_cue_genres=modality_cue_genres,
        modality_cues=modality_cues,
        heading_modality=heading_modality,
        part_markers=tuple(part_markers),
        breakdown_markers=tuple(breakdown_markers),
        cue_regex=cue_regex,
        level_from=tuple(level_from),
        level_to=tuple(level_to),
        to_level=tuple(to_level),
        undated_before=tuple(undated_before),
        rate_cues=rate_cues,
        rate_regex=re.compile(_alternation(list(rate_cues))) if rate_cues else None,
        concepts=concepts,
        key_drop=re.compile(_alternation([w for w in key_drop if len(w) > 1]))
        if any(len(w) > 1 for w in key_drop)
        else None,
        key_drop_edges="".join(w for w in key_drop if len(w) == 1),
        point_rate_heads=tuple(words("metrics.yaml", "point_rate_heads")),
        yearly_share_words=tuple(words("metrics.yaml", "yearly_share_words")),
        rate_qualifiers=frozenset(words("metrics.yaml", "rate_qualifiers")),
        key_qualifiers=tuple(words("metrics.yaml", "key_qualifiers")),
        concept_qualifiers=concept_qualifiers,
        concept_patterns=tuple(concept_patterns),
        frame=frame,
        phrases=phrases,
        phrase_words=phrase_words,
        phrase_word=phrase_word,
        number_forms=number_forms,
        word_numbers=word_numbers,
        table_words={k: tuple(v) for k, v in table_words.items()},
        count_units=count_units,
    )


def _patterns(
    entries: Sequence[tuple[BylineRule | DatelineRule, Path, int | None]],
    name: str,
    groups: Sequence[str],
    problems: list[RuleProblem],
) -> tuple[re.Pattern[str], ...]:
    out = []
    for rule, path, line in entries:
        c = _compile(rule.pattern, (path, line, (name, rule.id)), problems)
        if c is None:
            continue
        missing = [g for g in groups if g not in c.groupindex]
        if missing:
            problems.append(
                RuleProblem(path, line, (name, rule.id), f"pattern needs groups {missing}")
            )
            continue
        out.append(c)
    return tuple(out)


def _phrase_rules(
    section: Callable[..., list[Any]], problems: list[RuleProblem], unit_pattern: str
) -> tuple[dict[str, re.Pattern[str]], dict[str, frozenset[str]], dict[str, str]]:
    """rules/phrases.yaml: every step the reader names must have its entry.
    `{units}` in a pattern is the alternation of the unit words."""
    patterns: dict[str, re.Pattern[str]] = {}
    where: tuple[Path, int | None] | None = None
    for rule, path, line in section("phrases.yaml", "patterns", PhrasePatternRule):
        where = where or (path, None)
        if rule.id not in PHRASE_PATTERNS:
            problems.append(
                RuleProblem(
                    path,
                    line,
                    ("patterns", rule.id),
                    f"unknown step (expected one of {list(PHRASE_PATTERNS)})",
                )
            )
        pattern = rule.pattern.replace(UNITS_PLACEHOLDER, unit_pattern)
        c = _compile(pattern, (path, line, ("patterns", rule.id)), problems)
        if c is not None:
            patterns[rule.id] = c
    words: dict[str, frozenset[str]] = {}
    single: dict[str, str] = {}
    for wrule, path, line in section("phrases.yaml", "words", PhraseWordsRule):
        where = where or (path, None)
        if wrule.id in PHRASE_WORD:
            if len(wrule.words) != 1:
                problems.append(
                    RuleProblem(path, line, ("words", wrule.id), "needs exactly one word")
                )
            single[wrule.id] = wrule.words[0]
            continue
        if wrule.id not in PHRASE_WORDS:
            problems.append(
                RuleProblem(
                    path,
                    line,
                    ("words", wrule.id),
                    f"unknown word set (expected one of {list(PHRASE_WORDS + PHRASE_WORD)})",
                )
            )
        words[wrule.id] = frozenset(wrule.words)
    missing = [p for p in PHRASE_PATTERNS if p not in patterns]
    missing += [w for w in PHRASE_WORDS if w not in words]
    missing += [w for w in PHRASE_WORD if w not in single]
    if missing:
        path = where[0] if where else Path("rules/phrases.yaml")
        problems.append(RuleProblem(path, None, (), f"missing entries: {', '.join(missing)}"))
    return patterns, words, single


def _required_patterns(
    section: Callable[..., list[Any]],
    problems: list[RuleProblem],
    file: str,
    name: str,
    ids: Sequence[str],
) -> dict[str, re.Pattern[str]]:
    """A section of regexes by id, each of `ids` required, no other allowed."""
    out: dict[str, re.Pattern[str]] = {}
    for rule, path, line in section(file, name, PhrasePatternRule):
        if rule.id not in ids:
            problems.append(
                RuleProblem(
                    path, line, (name, rule.id), f"unknown id (expected one of {list(ids)})"
                )
            )
        c = _compile(rule.pattern, (path, line, (name, rule.id)), problems)
        if c is not None:
            out[rule.id] = c
    missing = [i for i in ids if i not in out]
    if missing:
        problems.append(
            RuleProblem(
                Path("rules") / file, None, (name,), f"missing {name}: {', '.join(missing)}"
            )
        )
    return out


def _number_forms(
    section: Callable[..., list[Any]], problems: list[RuleProblem]
) -> dict[str, re.Pattern[str]]:
    """rules/numbers.yaml forms: each one the number finder names is required."""
    return _required_patterns(section, problems, "numbers.yaml", "forms", NUMBER_FORMS)


def _frame_rules(
    section: Callable[..., list[Any]], problems: list[RuleProblem], not_reviewed: list[str]
) -> FrameRules:
    genres = []
    for g, path, line in section("genres.yaml", "genres", GenreRule):
        if not g.words and not g.front_matter:
            problems.append(
                RuleProblem(path, line, ("genres", g.id), "a genre needs words or front_matter")
            )
        genres.append(
            Genre(
                g.id,
                g.name,
                tuple(g.words),
                tuple(g.front_matter),
                g.frame,
                frozenset(g.late_months),
                tuple(g.examples),
                tuple((w, value) for value, ws in g.kind_cues.items() for w in ws),
                frozenset(g.flow_units),
                g.time_reach,
                g.default_kind,
                frozenset(g.level_units),
                tuple(g.undated_words),
            )
        )
    issuers = [
        (w, i.id, i.scope)
        for i, _path, _line in section("genres.yaml", "issuers", IssuerRule)
        for w in i.words
    ]
    return FrameRules(
        genres=tuple(genres),
        issuers=tuple(issuers),
        bylines=_patterns(
            section("genres.yaml", "bylines", BylineRule), "bylines", ["place"], problems
        ),
        regional=tuple(r for r, _p, _l in section("genres.yaml", "regional", RegionalRule)),
        datelines=_patterns(
            section("genres.yaml", "datelines", DatelineRule), "datelines", ["m", "d"], problems
        ),
        patterns=_required_patterns(
            section, problems, "genres.yaml", "frame_patterns", FRAME_PATTERNS
        ),
        not_reviewed_before=frozenset(not_reviewed),
    )
