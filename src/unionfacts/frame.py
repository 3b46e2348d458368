"""The document's frame, decided once before any claim is read: title, genre,
issuer, date, the year under review, the target year and the home scope —
from front matter when present, else from the text (rules/genres.yaml says
how each genre sets its years and which bylines name an issuer).

Genre first: a 政府工作报告 given in the first months of year N reviews N−1
and plans N; a communiqué or digest titled 2022年… covers 2022; a news article
is read against its own date. The home scope comes from the issuer (国务院,
国家统计局 → 全国), a head of government's byline or the meeting line (山东省省长,
在青岛市第十七届人民代表大会), the issuing body in the title, a regional
script (Hong Kong media → 香港); the place the first pages name most often
is the last resort.

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
from unionfacts.normalize import to_simplified
from unionfacts.numbers import parse_number
from unionfacts.rules import Genre, RuleSet

_YEAR_CODE = re.compile(r"[“\"](\d{2})·(\d{1,2})[”\"]")  # “23·7”: July 2023
_HEAD_CHARS = 600
_BODY_CHARS = 5000


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


def infer_year(text: str, rules: RuleSet, title: str | None = None) -> int | None:
    """The year under review: the year the title names (2022年工作报告), else
    the year the text talks about most, ties to the later year. Target years
    (到2025年) and bases of comparison (较2018年增长) do not count."""
    year_rx = rules.frame.patterns["year_in_text"]
    if title:
        named = [int(m.group(1)) for m in year_rx.finditer(title)]
        if len(set(named)) == 1:
            return named[0]
    counts: Counter[int] = Counter()
    for m in year_rx.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in rules.frame.not_reviewed_before:
            continue  # 到2025年底: a target; 较2018年, 是2018年的: a base
        counts[int(m.group(1))] += 1
    for m in _YEAR_CODE.finditer(text):
        counts[2000 + int(m.group(1))] += 1
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _date_number(text: str) -> int | None:
    """12, 十二, 二十五; a year written digit by digit: 二〇二三."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and "十" not in text:
        digits = text.translate(_DIGITS)
        return int(digits) if digits.isdigit() else None
    v = parse_number(text)
    return int(v) if v is not None else None


def infer_date(text: str, year: int | None, rules: RuleSet) -> date | None:
    """The meeting or issue date near the top, by the dateline patterns of
    rules/genres.yaml (——2023年3月5日在…会议上, 4月25日,…大会召开, a date on a
    line of its own under the title, 二〇二三年三月五日)."""
    head = text[:_HEAD_CHARS]
    # a date after the first numbered item (一、…, 1.…) dates that item, not the
    # report: a digest's first news may be a January meeting
    item = rules.frame.patterns["numbered_item"].search(head)
    head = head[: item.start()] if item else head
    for rx in rules.frame.datelines:
        m = rx.search(head)
        if not m:
            continue
        groups = m.groupdict()
        y = _date_number(groups["y"]) if groups.get("y") else year
        mo, d = _date_number(m.group("m")), _date_number(m.group("d"))
        if y is None or mo is None or d is None:
            continue
        try:
            return date(y, mo, d)
        except ValueError:
            continue
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
                known = _known_place(place, rules)  # the longest known ending
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


def detect_genre(
    title: str | None, head: str, front_matter: dict[str, object], rules: RuleSet
) -> Genre | None:
    """The first genre whose words the title holds (the first lines, without
    a title), else the first whose front-matter keys are present."""
    where = title or head
    for genre in rules.frame.genres:
        if any(w in where for w in genre.words):
            return genre
    for genre in rules.frame.genres:
        if genre.front_matter and any(k in front_matter for k in genre.front_matter):
            return genre
    return None


def _short_lines(head: str) -> list[str]:
    """Bylines: short lines of their own near the top (国务院总理 李克强,
    国家统计局, ——2023年3月5日在…会议上), not running text that names a body."""
    out = []
    for line in head.splitlines():
        line = line.strip().strip("*").strip()
        if line and len(line) <= 40 and not any(p in line for p in "，,。；;"):
            out.append(line)
    return out


def _known_place(name: str, rules: RuleSet) -> str | None:
    """The longest known ending of `name` (…北京市 -> 北京市)."""
    for i in range(len(name)):
        known = rules.place_aliases.get(name[i:])
        if known:
            return known
    return None


def issuer_scope(head: str, rules: RuleSet) -> tuple[str | None, str | None]:
    """(issuer, home scope) named by a byline or the meeting line near the top."""
    lines = _short_lines(head)
    for word, issuer, scope in rules.frame.issuers:  # the rules' order: 国务院 before 全国人大
        if any(word in line for line in lines):
            return issuer, scope
    for rx in rules.frame.bylines:
        for where in [*lines, head]:
            m = rx.search(where)
            if m:
                place = m.group("place")
                return None, _known_place(place, rules) or place
    return None, None


def _changed_share(original: str, simplified: str) -> float:
    """The share of characters the conversion to Simplified changed: a text in
    Traditional script changes several in a hundred, a Simplified one none."""
    changed = sum(a != b for a, b in zip(original, simplified, strict=False))
    return changed / max(1, len(original))


def regional_scope(body: str, traditional: bool, rules: RuleSet) -> str | None:
    """Hong Kong media (全港, 本港 in a Traditional text) -> 香港."""
    for rule in rules.frame.regional:
        if (rule.script == "traditional") != traditional:
            continue
        count = sum(body.count(w) for w in rule.words)
        if count >= rule.min_count:
            return rule.place
    return None


def _title_year(title: str | None, rules: RuleSet) -> int | None:
    if not title:
        return None
    named = {int(m.group(1)) for m in rules.frame.patterns["year_in_text"].finditer(title)}
    return named.pop() if len(named) == 1 else None


def frame_years(
    genre: Genre | None, title: str | None, body: str, doc_date: date | None, rules: RuleSet
) -> tuple[int | None, int | None, str]:
    """(year under review, target year, how the year was found) by the genre's frame."""
    frame = genre.frame if genre else None
    if frame == "plan":
        target = _title_year(title, rules)
        if target is None and doc_date is not None:
            late = genre is not None and doc_date.month in genre.late_months
            target = doc_date.year + (1 if late else 0)
        if target is not None:
            return target - 1, target, "genre"
    if frame == "dated" and doc_date is not None:
        return doc_date.year, None, "date"
    year = infer_year(body, rules, title)
    if year is not None:
        return year, None, "text"
    if doc_date is not None:
        return doc_date.year, None, "date"
    return None, None, "none"


def document_meta(
    doc: LoadedDocument, body: str, rules: RuleSet, overrides: MetaOverrides | None = None
) -> DocumentMeta:
    """The frame of one document. `body` is the normalized text after any front
    matter. Front matter wins over inference; overrides (the command line, a
    manifest) win over both."""
    fm = doc.front_matter
    sources: dict[str, str] = {}
    head = body[:_HEAD_CHARS]

    title = _text_field(fm, "title")
    if title:
        sources["title"] = "front_matter"
    else:
        title = infer_title(body)
        sources["title"] = "text" if title else "none"

    genre = None
    genre_id = _text_field(fm, "genre")
    if overrides and overrides.genre:
        genre_id = overrides.genre
    if genre_id:
        genre = next((g for g in rules.frame.genres if g.id == genre_id), None)
        sources["genre"] = "override" if overrides and overrides.genre else "front_matter"
    else:
        genre = detect_genre(title, head, fm, rules)
        genre_id = genre.id if genre else None
        sources["genre"] = "text" if genre else "none"

    doc_date = _front_date(fm.get("date"))
    if doc_date:
        sources["date"] = "front_matter"
    if overrides and overrides.date:
        doc_date = overrides.date
        sources["date"] = "override"
    if doc_date is None:
        doc_date = infer_date(
            body, _title_year(title, rules) or infer_year(body, rules, title), rules
        )
        if doc_date:
            sources["date"] = "text"

    year, target_year, year_source = frame_years(genre, title, body, doc_date, rules)
    sources["year"] = year_source
    fm_year = fm.get("year")
    if isinstance(fm_year, int):
        year = fm_year
        sources["year"] = "front_matter"

    issuer = _text_field(fm, "issuer")
    if issuer:
        sources["issuer"] = "front_matter"
    scope = _text_field(fm, "scope")
    if scope:
        sources["scope"] = "front_matter"
    if overrides and overrides.scope:
        scope = overrides.scope
        sources["scope"] = "override"
    if not scope:
        named_issuer, scope = issuer_scope(head, rules)
        issuer = issuer or named_issuer
        if issuer and not sources.get("issuer"):
            sources["issuer"] = "text"
        if scope:
            sources["scope"] = "issuer"
    if not scope:
        original = doc.text[doc.body_start : doc.body_start + 3000]
        traditional = _changed_share(original, to_simplified(original)) > 0.03
        scope = regional_scope(body, traditional, rules)
        if scope:
            sources["scope"] = "regional"
    if not scope:
        scope = infer_scope(body, rules, title if title and _title_like(title) else None)
        sources["scope"] = "text" if scope else "none"
    return DocumentMeta(
        title=title,
        date=doc_date,
        year=year,
        issuer=issuer,
        scope=scope,
        genre=genre_id,
        target_year=target_year,
        sources=sources,
    )
