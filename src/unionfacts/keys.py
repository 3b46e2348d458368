"""A claim's metric key: what it measures, comparable across documents.

One function decides identity (STYLE.md: pint's one registry look-up). The
key is the id of a concept in rules/metrics.yaml when the counted noun phrase
ends in one of its aliases with nothing before it but what `key_drop`, places
and times remove; else it is the phrase's fingerprint: the phrase with those
words removed, punctuation and numbers dropped, and a trailing rate word
(增长, 下降, 占) cut, so that 国内生产总值增长 and 国内生产总值 share the
key `gdp` and their rate type tells them apart.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from unionfacts.rules import RuleSet

# between a concept id and the qualifier of a qualified key (gdp~实际)
QUALIFIER_SEPARATOR = "~"

_NOT_KEY = re.compile(r"[\s\d.,，、;；:：%‰()（）\[\]【】“”\"'‘’《》「」『』<>|/\-—·…*#+=~]+")


@cache
def _concept_regex(rules: RuleSet) -> re.Pattern[str] | None:
    if not rules.concepts:
        return None
    alts = sorted(rules.concepts, key=lambda a: (-len(a), a))
    return re.compile("(?:" + "|".join(re.escape(a) for a in alts) + ")$")


@cache
def _rate_tail(rules: RuleSet) -> re.Pattern[str] | None:
    if not rules.rate_cues:
        return None
    alts = sorted(
        (w for w, v in rules.rate_cues.items() if v != "none"), key=lambda a: (-len(a), a)
    )
    return re.compile("(?:" + "|".join(re.escape(a) for a in alts) + ")+$")


@lru_cache(maxsize=65536)
def fingerprint(phrase: str, rules: RuleSet) -> str:
    """The counted noun phrase without reporting words, places, times,
    punctuation, numbers and a trailing rate word."""
    # reporting words first: 比上年末 holds a time word (年末); one-character
    # words only at the ends (有 of 共有, not of 保有量)
    text = rules.key_drop.sub("", phrase) if rules.key_drop is not None else phrase
    if rules.key_drop_edges:
        text = text.strip(rules.key_drop_edges)
    text = rules.period_regex.sub("", text)
    if rules.place_regex is not None:
        text = rules.place_regex.sub("", text)
    text = _NOT_KEY.sub("", text)
    tail = _rate_tail(rules)
    if tail is not None:
        text = tail.sub("", text)
    return text


def _concept(fp: str, rules: RuleSet) -> str | None:
    """The concept a fingerprint is the name of: one of its aliases ends it
    and nothing stands before the alias, or one of its patterns matches it
    whole."""
    rx = _concept_regex(rules)
    m = rx.search(fp) if rx is not None else None
    if m is not None and m.start() == 0:
        return rules.concepts[m.group(0)]
    for pattern, concept in rules.concept_patterns:
        if pattern.fullmatch(fp):
            return concept
    return None


def names_concept(phrase: str, rules: RuleSet) -> bool:
    """Whether the phrase is a concept's name: a phrase that says enough on its
    own (城镇新增就业 borrows nothing from the clause before)."""
    return _concept(fingerprint(phrase, rules), rules) is not None


def metric_key(phrase: str, rule_id: str | None, rules: RuleSet) -> str:
    """The concept id, else the fingerprint of `phrase` (the display metric)."""
    if rule_id and ">" in rule_id:
        return rule_id  # a 其中-part of a rule's metric, named by both rules
    if rule_id and rule_id in rules.metrics:
        name = rules.metrics[rule_id].name
        # 区级劳动模范 read by the 市级劳动模范 rule: a qualifier the rule's
        # name lacks makes it another quantity
        if not any(q in phrase and q not in name for q in rules.key_qualifiers):
            return rule_id
    fp = fingerprint(phrase, rules)
    concept = _concept(fp, rules)
    if concept is not None:
        return concept
    qualified = _qualified_concept(fp, rules)
    if qualified is not None:
        return qualified
    return fp or phrase


def _qualified_concept(fp: str, rules: RuleSet) -> str | None:
    """`concept~qualifier` when the phrase names a concept but for a word that
    changes its coverage or price basis (全社会固定资产投资, 居民人均可支配收入
    实际): another figure than the concept's own, so a key of its own, yet one
    the checker can pair with the concept to say why the two differ."""
    for concept_id, qualifiers in rules.concept_qualifiers.items():
        for q in qualifiers:
            if q in fp and _concept(fp.replace(q, "", 1), rules) == concept_id:
                return f"{concept_id}{QUALIFIER_SEPARATOR}{q}"
    return None


def split_qualified(key: str) -> tuple[str, str | None]:
    """`(concept, qualifier)` of a qualified key; `(key, None)` otherwise."""
    base, sep, q = key.partition(QUALIFIER_SEPARATOR)
    return (base, q) if sep else (key, None)


def yearly_share(phrase: str, rules: RuleSet) -> bool:
    """Whether a share counts one year's observations (空气质量优良天数比例,
    水质优良断面比例: `yearly_share_words` in rules/metrics.yaml)."""
    return any(w in phrase for w in rules.yearly_share_words)


def point_rate(phrase: str, rules: RuleSet) -> bool:
    """Whether a rate names a level at a point in time (森林覆盖率, 人口比重,
    城镇化率: `point_rate_heads` in rules/metrics.yaml), not a ratio of a
    year's flows."""
    fp = fingerprint(phrase, rules)
    if yearly_share(phrase, rules):
        return False  # 空气质量优良天数比例: a share of the year's observations
    return bool(fp) and fp.endswith(rules.point_rate_heads)


def is_bare_rate(phrase: str, rules: RuleSet) -> bool:
    """Whether a rate's phrase names no quantity of its own: nothing but rate,
    reporting and time words (年均增长, 按可比口径计算比上年增长), or only a
    qualifier of them (实际增长)."""
    fp = fingerprint(phrase, rules)
    return not fp or fp in rules.rate_qualifiers
