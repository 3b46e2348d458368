"""Document metadata: title, date, year under review, scope — from front
matter when present, else inferred from the text, else from the file name.

The year under review is the year the text talks about most (ties go to the
later year): a digest of 2023 names 2023 again and again, a five-year report
names its last year or an event of it (“23·7” is July 2023). The document date
is the meeting or issue date near the top (`4月25日,…代表大会召开`). The scope
is the place named with the issuing body in the title (北京市总工会, 顺义区工会).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from unionfacts.models import DocumentMeta, LoadedDocument, MetaOverrides
from unionfacts.rules import RuleSet

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?=\s*(?:年|-|—|–|\)|）))")
_YEAR_CODE = re.compile(r"[“\"](\d{2})·(\d{1,2})[”\"]")  # “23·7”: July 2023
_MEETING = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日[^。\n]{0,60}?"
    r"(?:召开|举行|开幕|闭幕|印发|发布)"
)
_DATELINE = re.compile(
    r"(?:^|[(（]|\s)(?P<y>(?:19|20)\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:[)）]|$)", re.M
)
_HEAD_CHARS = 600
_BODY_CHARS = 5000
_NOT_REVIEWED = frozenset("到较比是与同于")
_NUMBERED_ITEM = re.compile(
    r"^\s*(?:#+\s*)?(?:[一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十]+[)）])",
    re.M,
)


def _front_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = re.match(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value.strip())
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            except ValueError:
                return None
    return None


def infer_year(text: str, title: str | None = None) -> int | None:
    """The year under review: the year the title names (2022年工作报告), else
    the year the text talks about most, ties to the later year. Target years
    (到2025年) and bases of comparison (较2018年增长) do not count."""
    if title:
        named = [int(m.group(1)) for m in _YEAR.finditer(title)]
        if len(set(named)) == 1:
            return named[0]
    counts: Counter[int] = Counter()
    for m in _YEAR.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in _NOT_REVIEWED:
            continue  # 到2025年底: a target; 较2018年, 是2018年的: a base
        counts[int(m.group(1))] += 1
    for m in _YEAR_CODE.finditer(text):
        counts[2000 + int(m.group(1))] += 1
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


def infer_date(text: str, year: int | None) -> date | None:
    """The meeting or issue date near the top: `4月25日,…大会召开`, or a full
    date on a line of its own or in brackets under the title (（2024年1月15日）)."""
    head = text[:_HEAD_CHARS]
    # a date after the first numbered item (一、…, 1.…) dates that item, not the
    # report: a digest's first news may be a January meeting
    item = _NUMBERED_ITEM.search(head)
    head = head[: item.start()] if item else head
    m = _MEETING.search(head) or _DATELINE.search(head)
    if not m:
        return None
    y = int(m.group("y")) if m.group("y") else year
    if y is None:
        return None
    try:
        return date(y, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def infer_title(text: str) -> str | None:
    """The first Markdown title near the top, else the first substantial line."""
    m = re.search(r"^#{1,2}\s+(\S.{4,})$", text[:2000], re.M)
    if m:
        return m.group(1).strip()[:120]
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) >= 6 and not line.startswith(("□", "---")):
            return line[:120]
    return None


def infer_scope(text: str, rules: RuleSet, title: str | None = None) -> str | None:
    """The place of the issuing body named in the title (全国总工会 too), else
    near the top, else the place named most often near the top."""
    if title:
        unlisted = None
        for rx in rules.title_patterns:
            for m in rx.finditer(title):
                place = m.group("place")
                for i in range(len(place)):  # the longest known ending (北京市 of …北京市)
                    known = rules.place_aliases.get(place[i:])
                    if known:
                        return known
                if not any(place.endswith(w) for w in rules.relative_places):
                    unlisted = unlisted or place  # (奋力推动全市工会工作: 全市 is no name)
        if unlisted:
            return unlisted  # 长丰县总工会…: a place the rules do not list is still the scope
    head = text[:_HEAD_CHARS]
    for rx in rules.title_patterns:
        for m in rx.finditer(head):
            place = m.group("place")
            # the pattern is greedy on the left: take the longest known suffix
            for i in range(len(place)):
                known = rules.place_aliases.get(place[i:])
                if known and (rules.places[known].level != "country" or _byline(head, m.start())):
                    return known
    if rules.place_regex is None:
        return None
    # the place named most often: near the top, else anywhere in the first pages
    for window_end in (_HEAD_CHARS, _BODY_CHARS):  # the matcher scans `text` once for both
        counts: Counter[str] = Counter()
        for found in rules.place_regex.finditer(text, 0, window_end):
            pid = rules.place_aliases.get(found.group(0))
            if pid and rules.places[pid].level not in ("country", "region"):
                counts[pid] += 1
        if counts:
            return _most_named(counts, rules)
    return None


def _most_named(counts: Counter[str], rules: RuleSet) -> str:
    """The most named place of the province-level unit named most, its places
    counted together: a Hong Kong article naming 香港 and 湾仔区 once each and
    台湾 once is Hong Kong's; a Qingdao report naming 山东 now and then is
    still Qingdao's (青岛 is named most within 山东省)."""
    top: Counter[str] = Counter()
    for pid, n in counts.items():
        chain = rules.place_index.chain(pid)
        top[chain[-2] if len(chain) >= 2 else pid] += n  # the unit just below 全国
    unit = top.most_common(1)[0][0]
    inside = [p for p in counts if unit in rules.place_index.chain(p)]
    # a tie goes to the larger place (香港 and 湾仔区 once each: 香港)
    return min(inside, key=lambda p: (-counts[p], len(rules.place_index.chain(p))))


def _byline(text: str, pos: int) -> bool:
    """Whether `pos` lies on a short line of its own (中华全国总工会 under a
    title), as opposed to running text that names the national federation."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end].strip()
    return len(line) <= 20 and "，" not in line and "," not in line


def _title_like(line: str) -> bool:
    """A title is short and holds no finished sentence (a first line of body
    text is no title, whatever it names)."""
    return len(line) <= 50 and "。" not in line


def _text_field(front_matter: dict[str, object], key: str) -> str | None:
    value = front_matter.get(key)
    return value.strip() or None if isinstance(value, str) else None


def document_meta(
    doc: LoadedDocument, body: str, rules: RuleSet, overrides: MetaOverrides | None = None
) -> DocumentMeta:
    """Metadata for one document. `body` is the normalized text after any front
    matter. Front matter wins over inference; overrides win over both."""
    fm = doc.front_matter
    sources: dict[str, str] = {}

    title = _text_field(fm, "title")
    if title:
        sources["title"] = "front_matter"
    else:
        title = infer_title(body)
        sources["title"] = "text" if title else "none"

    year: int | None = None
    fm_year = fm.get("year")
    if isinstance(fm_year, int):
        year = fm_year
        sources["year"] = "front_matter"
    doc_date = _front_date(fm.get("date"))
    if doc_date:
        sources["date"] = "front_matter"
    if overrides and overrides.date:
        doc_date = overrides.date
        sources["date"] = "override"
    if year is None:
        year = infer_year(body, title)
        if year is not None:
            sources["year"] = "text"
        elif doc_date:
            year = doc_date.year
            sources["year"] = "date"
    if doc_date is None:
        doc_date = infer_date(body, year)
        if doc_date:
            sources["date"] = "text"
    if year is None and doc_date is not None:
        year = doc_date.year

    scope = _text_field(fm, "scope")
    if scope:
        sources["scope"] = "front_matter"
    if overrides and overrides.scope:
        scope = overrides.scope
        sources["scope"] = "override"
    if not scope:
        scope = infer_scope(body, rules, title if title and _title_like(title) else None)
        sources["scope"] = "text" if scope else "none"

    issuer = _text_field(fm, "issuer")
    if issuer:
        sources["issuer"] = "front_matter"
    return DocumentMeta(
        title=title, date=doc_date, year=year, issuer=issuer, scope=scope, sources=sources
    )
