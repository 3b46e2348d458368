"""What a number counts: the noun phrase around it, and its canonical metric.

The phrase is read in the clause of the number. When the words right before
the number end in a verb or preposition and a noun follows the unit
(`新建14家货运行业联合工会`, `为2.23万家企业`), the number counts what
follows; else it counts what comes before (`新发展会员39.08万人`). jieba
tags only these few characters, never the whole document.

A phrase whose nouns are all generic (职工, 资金) borrows what the clause
before it talks about; an item of a list after 、 borrows the list's verb
(`走访慰问企业5984家、职工126.7万人次` -> 走访慰问职工).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from unionfacts.extract import Candidate
from unionfacts.keys import is_bare_rate, names_concept
from unionfacts.layout import Layout
from unionfacts.rules import RuleSet

_MAX_PHRASE = 30
_CONTEXT = 20
_GENERIC_MAX = 6
_MAX_PRE = 60
_DIGIT = re.compile(r"\d")
_NOUN_FLAGS = ("n", "vn", "j", "l", "nz", "ng", "eng")
_PLACE_FLAGS = ("ns", "nr", "nt", "s")


@dataclass(frozen=True, slots=True)
class MetricReading:
    name: str  # canonical name, or the phrase
    rule_id: str | None
    kind: str | None  # kind fixed by the metric rule
    phrase: str  # the noun phrase as read
    verbs: str  # leading verbs of the phrase (for list items after 、)
    noun: str  # in post mode, the noun phrase after the unit; else ""


@lru_cache(maxsize=65536)
def tag(phrase: str) -> tuple[tuple[str, str], ...]:
    # jieba's tags (posseg, HMM off) from the package's cache of its dictionary:
    # importing jieba.posseg itself took over a second (unionfacts.postag)
    from unionfacts.postag import lcut

    return tuple(lcut(phrase))


def is_noun(word: str, flag: str) -> bool:
    return flag.startswith(_NOUN_FLAGS) and not flag.startswith(_PLACE_FLAGS)


def _is_verb(word: str, flag: str, rules: RuleSet) -> bool:
    # jieba tags 荣获 as a name and 启动 as a noun: the cue lists know better
    return (
        (flag.startswith(("v", "p")) and flag != "vn")
        or word in rules.phrase_words["linking_words"]
        or (word in rules.kind_cues)
    )


def _leading_verbs(phrase: str, rules: RuleSet) -> str:
    """累计拨付… -> 累计拨付; adverbs before the verbs are skipped (一共收到 -> 收到)."""
    out: list[str] = []
    for word, flag in tag(phrase):
        if (
            _is_verb(word, flag, rules)
            and word not in rules.phrase_words["not_leading_verbs"]
            and len(word) > 1
        ):
            out.append(word)
        elif not out and flag.startswith(("d", "j")) and len(word) <= 2:
            continue
        else:
            break
    return "".join(out)


def _content_nouns(phrase: str, rules: RuleSet) -> list[str]:
    return [w for w, f in tag(phrase) if is_noun(w, f) and w not in rules.generic_heads]


@cache
def _place_words(rules: RuleSet) -> tuple[frozenset[str], int]:
    words = frozenset(rules.place_aliases) | frozenset(rules.relative_places)
    return words, max(map(len, words), default=0)


def _strip_places(phrase: str, rules: RuleSet) -> str:
    """Drop place names at the end (会议表彰了北京市) — they are the scope.
    A look-up of the phrase's last few characters, not a regex search."""
    words, longest = _place_words(rules)
    stripped = True
    while phrase and stripped:
        stripped = False
        for n in range(min(longest, len(phrase)), 1, -1):
            if phrase[-n:] in words:
                phrase = rules.phrases["tail_trim"].sub("", phrase[:-n])
                stripped = True
                break
    return phrase


@cache
def _approx_tail(rules: RuleSet) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w, _a, _r in rules.approx_prefix) or "(?!x)x"
    return re.compile(f"(?:{words})$")


def _strip_approx(phrase: str, rules: RuleSet) -> str:
    return _approx_tail(rules).sub("", phrase, count=1)


@lru_cache(maxsize=65536)
def _trim(phrase: str, rules: RuleSet) -> str:
    """The phrase without leading particles, a leading time expression and
    trailing punctuation (memoised: the same short phrases recur)."""
    prev = None
    while prev != phrase:
        prev = phrase
        phrase = rules.phrases["lead_trim"].sub("", phrase)
        # a time expression at the head (2023年, 上半年) is the period, not the metric
        m = rules.period_regex.match(phrase)
        if m:
            phrase = phrase[m.end() :]
        phrase = rules.phrases["tail_trim"].sub("", phrase)
    return phrase


def _strip_time(text: str, rules: RuleSet) -> str:
    """Drop time expressions (减少到年底的 -> 减少到的) so the words around them read on."""
    return rules.period_regex.sub("", text)


def _starts_with_noun(tags: tuple[tuple[str, str], ...], rules: RuleSet) -> bool:
    """Whether a noun opens the phrase: a noun (or verbal noun, 改革任务) within
    its first four characters and before any verb. jieba tags single
    characters loosely (顺丰网点 -> 顺/p 丰/a 网点/n), so one token is not enough."""
    if not tags or tags[0][0] in rules.kind_cues:
        return False
    seen = 0
    for word, flag in tags:
        opens = flag.startswith(("a", "b", "j", "l")) and seen == 0
        if is_noun(word, flag) or flag == "vn" or opens:
            return True
        if _is_verb(word, flag, rules) and (seen > 0 or flag.startswith("v")):
            return False  # 阻击新冠: a verb opens it (a lone 顺/p of 顺丰 does not)
        seen += len(word)
        if seen >= 4:
            return False
    return False


def _noun_phrase(post: str, rules: RuleSet) -> tuple[str, str]:
    """Split `post` into its leading noun phrase and the rest (the predicate)."""
    n = 0
    for word, flag in tag(post):
        if n > 0 and (_is_verb(word, flag, rules) or flag.startswith(("d", "uj"))):
            break
        n += len(word)
    return post[:n], post[n:]


def _canonical(
    phrase: str, cand: Candidate, rules: RuleSet, whole_phrase: bool
) -> tuple[str | None, str | None]:
    """The metric rule named by `phrase`, when all the aliases it holds name one
    metric and the last alias is the head of the phrase."""
    rx = rules.metric_regex
    if rx is None or not phrase:
        return None, None
    hits = list(rx.finditer(phrase))
    if not hits:
        return None, None
    ids = {rules.metric_aliases[h.group(0)] for h in hits}
    if len(ids) != 1:
        return None, None
    rule = rules.metrics[ids.pop()]
    if rule.unit_class and rule.unit_class != cand.unit.unit_class:
        return None, None
    tail = phrase[hits[-1].end() :]
    if whole_phrase and not rules.phrases["alias_tail"].fullmatch(tail):
        return None, None
    # 审计基层工会 is not 基层工会: only modifiers and places may stand before the alias
    head = phrase[: hits[0].start()]
    if head and not _only_modifiers(head, rules):
        return None, None
    if any(q in head and q not in rule.name for q in rules.key_qualifiers):
        return None, None  # 区级劳动模范 is not the 市级劳动模范 of the rule
    return rule.id, rule.name


def _only_modifiers(text: str, rules: RuleSet) -> bool:
    """Whether the words before a metric alias leave its meaning alone: places,
    times, adverbs, subjects and the verbs that say how the count grew (新建,
    推荐评选, 实际新发展会员), but not a verb that names another activity
    (审计基层工会, 代理劳动争议案件)."""
    if rules.place_regex is not None:
        text = rules.place_regex.sub("", text)
    text = rules.phrases["subject_words"].sub("", rules.period_regex.sub("", text))
    for word, flag in tag(text):
        if word in rules.modifiers or word in rules.kind_cues or word in rules.generic_heads:
            continue
        if flag.startswith(("d", "t", "m", "q", "u", "p", "r", "c", "f", "x", "ns", "w")):
            continue
        return False
    return True


def _context_before(
    text: str,
    layout: Layout,
    c_start: int,
    s_start: int,
    rules: RuleSet,
    cross_sentence: bool = False,
    rate_ok: bool = False,
) -> str:
    """What the text was talking about before a clause: the nearest clause
    before it that names something (not only 职工, 建制率) — in its sentence,
    or for a rate, in its paragraph (截至目前,国有企业建制率达100%: of what?)."""
    line = layout.line_at(c_start)
    floor = line.start if cross_sentence else s_start
    pos = c_start
    for _ in range(8):
        if pos <= floor:
            return ""
        start = layout.clause_start(pos - 1, line.start)
        raw = text[start:pos]
        pos = start
        raw = re.sub(r"[(（][^()（）]*[)）]|[《》“”\"]", "", raw)
        raw = rules.phrases["context_figure"].sub("", raw)
        raw = _trim(re.sub(r"[,，。；;：:！？!?]+$", "", raw.strip()), rules)
        if not raw:
            continue
        if is_bare_rate(raw, rules):
            continue  # 按可比口径计算, 年均增长: names nothing, look further back
        nouns = [w for w, f in tag(raw) if is_noun(w, f)]
        head = rules.phrases["link_tail"].sub("", raw)
        if head.endswith(tuple(rules.phrase_words["rate_heads"])) and not rate_ok:
            return ""  # 调解成功率87.2%,为职工追回欠薪…: a rate names no count after it
        if nouns and not any(head.endswith(g) for g in rules.generic_heads):
            return raw[-_CONTEXT:]
    return ""


def read_metric(
    text: str,
    layout: Layout,
    cand: Candidate,
    prev: Candidate | None,
    prev_reading: MetricReading | None,
    rules: RuleSet,
) -> MetricReading:
    s_start, s_end = layout.sentence_span(cand.start)
    c_start = layout.clause_start(cand.start, s_start)
    same_clause_prev = prev is not None and c_start <= prev.after_end <= cand.start
    left = prev.after_end if same_clause_prev and prev is not None else c_start
    # a phrase is read from at most the last 60 characters: a long clause's
    # opening words name no metric, and trimming them costs on every number
    raw_pre = text[max(left, cand.start - _MAX_PRE) : cand.start].rstrip()
    after_prev_item = same_clause_prev and "、" in raw_pre
    unhedged = _strip_approx(raw_pre, rules)  # 为近1.8万名: 近 is the approximation
    pre = rules.phrases["subject"].sub("", _trim(unhedged, rules))
    pre = (
        rules.phrases["time_tail"].sub("", pre) or pre
    )  # 由年初的212户: 由 and the time are not the metric
    pre_core = _trim(_strip_places(_strip_approx(pre, rules), rules), rules)
    # 符合条件的110家顺丰网点, 政策措施等十余项: the number sits inside a noun phrase
    pre_marks_np = unhedged.endswith(tuple(rules.phrase_words["noun_phrase_marks"]))

    right = layout.clause_end(cand.after_end, s_end)
    nxt = text.find("、", cand.after_end, right)
    if nxt >= 0:
        right = nxt
    post = _DIGIT.split(text[cand.after_end : right], maxsplit=1)[0]
    post = rules.phrases["tail_trim"].sub("", post).strip()

    if (
        same_clause_prev
        and prev_reading is not None
        and len(raw_pre) <= 12
        and rules.phrases["change_to"].match(_strip_time(raw_pre, rules))
    ):
        return prev_reading  # 由15个减少到9个
    prev_noun = prev_reading.noun if (same_clause_prev and prev_reading) else ""
    if prev_noun and pre_core and prev_noun.startswith(pre_core):
        if post:
            pre, pre_core = "", ""  # 8个方面17件实事: 方面 belongs to the number before
        else:
            pre = prev_noun  # 233家爱心单位捐赠物资4197万余元: the amount of what they gave
    post_tags = tag(post[:8]) if post else ()
    post_is_noun = bool(post) and (post[0] in '“"《' or _starts_with_noun(post_tags, rules))
    pre_tags = tag(pre_core) if pre_core else ()
    pre_ends_in_verb = not pre_tags or _is_verb(*pre_tags[-1], rules)
    pre_has_noun = any(is_noun(w, f) for w, f in pre_tags)
    short_modifier = (
        post_is_noun and len(pre_core) <= 2 and not pre_ends_in_verb
    )  # 对区属42家基层工会
    use_post = bool(post) and (
        not pre_core
        or not pre_has_noun
        or short_modifier
        or ((pre_marks_np or pre_ends_in_verb) and post_is_noun)
    )

    rule_id = name = None
    noun = ""
    list_verbs = ""
    if cand.rule_id.startswith("fraction"):
        # 约占三成, 超过总人数的四分之一, 入会率达到百分之八十五
        share_of = rules.phrases["share_link_tail"].sub("", pre_core)
        if share_of.endswith(tuple(rules.phrase_words["rate_heads"])):
            display = share_of
        else:
            display = f"{share_of}{rules.phrase_word['share_name']}"
    elif use_post:
        noun, predicate = _noun_phrase(post, rules)
        phrase = post[:_MAX_PHRASE]
        verb = pre_core if len(pre_core) <= 4 and not pre_marks_np else ""  # 新建14家…, 区属42家…
        if cand.unit.unit_class in rules.phrase_words["event_classes"] and not post_is_noun:
            display = f"{phrase}{rules.phrase_word['events_suffix']}"  # 分17次拨付: 拨付次数
        else:
            display = f"{verb}{phrase}"
        noun = phrase
        if not predicate.strip():
            rule_id, name = _canonical(
                _noun_phrase(post, rules)[0], cand, rules, whole_phrase=False
            )
    else:
        phrase = pre[-_MAX_PHRASE:]
        if (
            after_prev_item
            and prev_reading
            and prev_reading.verbs
            and not _leading_verbs(phrase, rules)
        ):
            list_verbs = prev_reading.verbs
        elif same_clause_prev and not after_prev_item and not _leading_verbs(phrase, rules):
            # 一共收到…233家爱心单位捐赠物资4197万余元: the clause's verb governs
            list_verbs = _leading_verbs(_trim(text[c_start : cand.start], rules)[:8], rules)
        display = list_verbs + phrase
        if (
            pre_ends_in_verb
            and not post_is_noun
            and cand.unit.unit in rules.phrase_words["counted_units"]
            # 上限为14小时: a linking word, not a verb that counts (分为六段)
            and not (pre_tags and pre_tags[-1][0] in rules.phrase_words["linking_words"])
        ):
            display = f"{display}{cand.unit.unit}"  # 分为六段: the unit is what is counted
        rule_id, name = _canonical(phrase, cand, rules, whole_phrase=True)

    if not rule_id and not cand.rule_id.startswith("fraction") and not list_verbs:
        if use_post:
            np_, after_verb = _noun_phrase(post, rules)
            nouns = [w for w, f in tag(np_) if is_noun(w, f)]
            generic = (not nouns or nouns[0] in rules.generic_heads) and not _content_nouns(
                after_verb, rules
            )
        else:
            # 覆盖职工, 投入资金: no noun of its own; 非公企业建制率: a rate of what?
            head = rules.phrases["link_tail"].sub("", display)
            # (a longer phrase such as 送清凉慰问一线职工 says enough on its own)
            generic = (
                (not _content_nouns(display, rules) and len(head) <= _GENERIC_MAX)
                or (
                    cand.unit.unit_class == "%"
                    and any(head.endswith(g) for g in rules.generic_heads)
                )
                # 年均增长5.2%, 比上年增长3.5%, 实际增长2.9%: a rate of what came before
                or (
                    cand.unit.unit_class in rules.phrase_words["rate_classes"]
                    and is_bare_rate(display, rules)
                )
            )
        generic = (
            generic
            and not rules.phrases["part_opening"].match(text, c_start)
            and not names_concept(display, rules)
        )
        if generic:
            if not use_post and post_tags and post_tags[0][1].startswith("v"):
                display = f"{display}{post[:_MAX_PHRASE]}"  # 投入资金459万元助推经济技术创新
            else:
                if prev_reading is not None and same_clause_prev:
                    context = prev_reading.phrase
                else:
                    context = _context_before(
                        text,
                        layout,
                        c_start,
                        s_start,
                        rules,
                        cross_sentence=cand.unit.unit_class == "%",
                        rate_ok=cand.unit.unit_class in rules.phrase_words["share_classes"],
                    )
                if context and context not in display:
                    display = f"{context[-_CONTEXT:]}{display}"
    display = rules.phrases["display_tail"].sub("", display) if len(display) > 3 else display
    if not display:
        display = cand.unit.unit
    kind = rules.metrics[rule_id].kind if rule_id else None
    return MetricReading(
        name=name or display,
        rule_id=rule_id,
        kind=kind,
        phrase=display,
        verbs=_leading_verbs(display, rules),
        noun=noun,
    )
