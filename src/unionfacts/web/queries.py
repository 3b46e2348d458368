"""What the pages show, read through the library (findings, corrections) and
the `facts` view. Plain values out; no HTML here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, text

from unionfacts.findings import StoredFinding, list_findings
from unionfacts.langtag import lang_of
from unionfacts.store import document_by_id, document_text
from unionfacts.store.corrections import corrections
from unionfacts.store.search import match_clause

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

# -- the findings queue ---------------------------------------------------------

QUEUE_FACETS = ("status", "severity", "check", "doc", "metric")
QUEUE_SORTS = {
    "severity": lambda f: (SEVERITY_RANK.get(f.severity, 9), f.check, f.id),
    "check": lambda f: (f.check, SEVERITY_RANK.get(f.severity, 9), f.id),
    "status": lambda f: (f.status, SEVERITY_RANK.get(f.severity, 9), f.id),
    "newest": lambda f: (-f.first_seen.timestamp(), f.id),
    "document": lambda f: (sorted(_docs(f)), f.id),
}


def _docs(f: StoredFinding) -> set[str]:
    return {str(c.get("doc")) for c in f.claims}


def _metrics(f: StoredFinding) -> set[str]:
    return {str(c.get("metric")) for c in f.claims if c.get("metric")}


def _facet_values(f: StoredFinding, facet: str) -> set[str]:
    if facet == "doc":
        return _docs(f)
    if facet == "metric":
        return _metrics(f)
    return {str(getattr(f, facet))}


@dataclass
class Queue:
    findings: list[StoredFinding]
    counts: dict[str, list[tuple[str, int]]]  # facet -> [(value, n)], most first
    total: int


def queue(engine: Engine, filters: Mapping[str, str], sort: str = "severity") -> Queue:
    """Findings matching every filter; each facet counts the findings that
    match the other filters, so a count says what clicking it would show."""
    every = list_findings(engine)
    active = {k: v for k, v in filters.items() if k in QUEUE_FACETS and v}

    def matches(f: StoredFinding, skip: str | None = None) -> bool:
        return all(v in _facet_values(f, k) for k, v in active.items() if k != skip)

    counts: dict[str, list[tuple[str, int]]] = {}
    for facet in QUEUE_FACETS:
        c: Counter[str] = Counter()
        for f in every:
            if matches(f, skip=facet):
                c.update(_facet_values(f, facet))
        counts[facet] = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f for f in every if matches(f)]
    shown.sort(key=QUEUE_SORTS.get(sort, QUEUE_SORTS["severity"]))
    return Queue(shown, counts, len(every))


# -- claims -----------------------------------------------------------------------

CLAIM_FACETS = ("metric_key", "scope", "period", "unit", "kind", "modality", "doc")
# A store written before metric keys were filled has '' there: the metric
# name stands in, as it does for the checker.
KEY = "COALESCE(NULLIF(metric_key, ''), metric)"
_SQL = {"metric_key": KEY}
_FACTS_COLUMNS = (
    "claim_id, doc, doc_id, title, doc_date, metric, metric_key, value_text, unit, approx,"
    " period, scope, kind, modality, quote, sentence, start_offset, end_offset,"
    " not_a_claim, corrected_by, corrected_at, correction_note, genre, part_of"
)


@dataclass
class ClaimPage:
    rows: list[dict[str, Any]]
    facets: dict[str, list[tuple[str, int]]]
    total: int
    search_mode: str  # "index", "like" or "" (no query)


def _where(filters: Mapping[str, str], q: str, conn: Any) -> tuple[list[str], dict[str, Any], str]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    for i, facet in enumerate(CLAIM_FACETS):
        value = filters.get(facet)
        if value:
            clauses.append(f"{_SQL.get(facet, facet)} = :f{i}")
            params[f"f{i}"] = value
    mode = ""
    q = q.strip()
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params["like"] = like
        text_match = "(quote LIKE :like ESCAPE '\\' OR sentence LIKE :like ESCAPE '\\')"
        found = match_clause(conn, q)
        if found is None:
            clauses.append(text_match)
            mode = "like"
        else:
            sql, p = found
            params.update(p)
            # Claims the index has not seen yet (a read-only server does not
            # refresh it) are still found, by LIKE.
            clauses.append(
                f"(claim_id IN ({sql}) OR (claim_id NOT IN (SELECT claim_id FROM claim_search)"
                f" AND {text_match}))"
            )
            mode = "index"
    return clauses, params, mode


def claims_page(
    engine: Engine, filters: Mapping[str, str], q: str = "", limit: int = 200, offset: int = 0
) -> ClaimPage:
    with engine.connect() as conn:
        clauses, params, mode = _where(filters, q, conn)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        total = conn.execute(text(f"SELECT count(*) FROM facts {where}"), params).scalar_one()
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    f"SELECT {_FACTS_COLUMNS} FROM facts {where} "
                    "ORDER BY doc, start_offset LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": limit, "offset": offset},
            )
        ]
        facets: dict[str, list[tuple[str, int]]] = {}
        for facet in CLAIM_FACETS:
            others = {k: v for k, v in filters.items() if k != facet}
            oc, op, _ = _where(others, q, conn)
            w = ("WHERE " + " AND ".join(oc)) if oc else ""
            facets[facet] = [
                (str(v), int(n))
                for v, n in conn.execute(
                    text(
                        f"SELECT {_SQL.get(facet, facet)} AS v, count(*) AS n FROM facts {w}"
                        " GROUP BY v ORDER BY n DESC, v LIMIT 40"
                    ),
                    op,
                )
            ]
    return ClaimPage(rows, facets, int(total), mode)


def claim(engine: Engine, claim_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                f"SELECT {_FACTS_COLUMNS}, context, doc_year, target_year, rate_type, direction"
                " FROM facts WHERE claim_id = :id"
            ),
            {"id": claim_id},
        ).first()
        if row is None:
            return None
        out = dict(row._mapping)
        extracted = conn.execute(
            text(
                "SELECT c.metric, c.period, c.scope, c.kind, c.modality, d.content_hash"
                " FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id = :id"
            ),
            {"id": claim_id},
        ).one()
    out["extracted"] = dict(
        zip(("metric", "period", "scope", "kind", "modality"), extracted[:5], strict=False)
    )
    out["doc_hash"] = extracted[5]
    return out


def findings_of_claim(engine: Engine, claim_id: int) -> list[dict[str, Any]]:
    """Live findings that cite this claim (through finding_claims.claim_id,
    falling back to the content key for links not made yet)."""
    sql = text(
        "SELECT DISTINCT f.id, f.check_name, f.severity, f.status, f.explanation"
        " FROM findings f JOIN finding_claims fc ON fc.finding_id = f.id"
        " JOIN claims c ON c.id = :id JOIN documents d ON d.id = c.document_id"
        " WHERE f.status <> 'stale' AND (fc.claim_id = c.id OR (fc.claim_id IS NULL"
        " AND fc.doc_hash = d.content_hash AND fc.start_offset = c.start_offset"
        " AND fc.end_offset = c.end_offset)) ORDER BY f.id"
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sql, {"id": claim_id})]


def claim_ids_for(engine: Engine, refs: Sequence[tuple[str, int, int]]) -> list[int | None]:
    """Current claim row of each (document hash, start, end), None when gone."""
    out: list[int | None] = []
    with engine.connect() as conn:
        for h, s, e in refs:
            out.append(
                conn.execute(
                    text(
                        "SELECT min(c.id) FROM claims c JOIN documents d ON d.id = c.document_id"
                        " WHERE d.content_hash = :h AND c.start_offset = :s AND c.end_offset = :e"
                    ),
                    {"h": h, "s": s, "e": e},
                ).scalar()
            )
    return out


def documents_by_hash(engine: Engine, hashes: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not hashes:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, title, doc_date, genre, content_hash FROM documents"
                " WHERE content_hash IN :hs"
            ).bindparams(bindparam("hs", expanding=True)),
            {"hs": list(hashes)},
        )
        return {r.content_hash: dict(r._mapping) for r in rows}


def audit(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    "SELECT r.id, r.at, r.finding_id, r.from_status, r.to_status, r.note, r.who,"
                    " f.check_name, f.severity FROM reviews r JOIN findings f"
                    " ON f.id = r.finding_id ORDER BY r.id DESC LIMIT :n"
                ),
                {"n": limit},
            )
        ]


def documents(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    "SELECT d.id, d.name, d.title, d.doc_date, d.genre, d.scope,"
                    " (SELECT count(*) FROM claims c WHERE c.document_id = d.id) AS n_claims"
                    " FROM documents d ORDER BY d.doc_date, d.name"
                )
            )
        ]


# -- a document with its claims marked ----------------------------------------------


@dataclass
class Segment:
    text: str
    claim: dict[str, Any] | None = None


@dataclass
class DocumentView:
    doc: Any
    segments: list[Segment]
    lang: str
    n_claims: int
    n_corrected: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def document_view(engine: Engine, doc_id: int) -> DocumentView | None:
    doc = document_by_id(engine, doc_id)
    body = document_text(engine, doc_id)
    if doc is None or body is None:
        return None
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    f"SELECT {_FACTS_COLUMNS} FROM facts WHERE doc_id = :id ORDER BY start_offset"
                ),
                {"id": doc_id},
            )
        ]
        # Spans a live finding cites (marked in the text).
        flagged: set[int] = {
            int(start)
            for (start,) in conn.execute(
                text(
                    "SELECT DISTINCT fc.start_offset FROM finding_claims fc"
                    " JOIN findings f ON f.id = fc.finding_id"
                    " WHERE fc.doc_hash = :h AND f.status <> 'stale'"
                ),
                {"h": doc.content_hash},
            )
        }
    segments: list[Segment] = []
    pos = 0
    for r in rows:
        r["finding"] = int(r["start_offset"]) in flagged
        s, e = int(r["start_offset"]), int(r["end_offset"])
        if s < pos or e > len(body):  # overlapping or out of range: leave it unmarked
            continue
        if s > pos:
            segments.append(Segment(body[pos:s]))
        segments.append(Segment(body[s:e], r))
        pos = e
    segments.append(Segment(body[pos:]))
    n_corrected = len(corrections(engine, doc.content_hash))
    return DocumentView(doc, segments, lang_of(body[:4000]), len(rows), n_corrected)


# -- a metric over time -----------------------------------------------------------------


def metric_points(engine: Engine, metric_key: str, scope: str) -> list[dict[str, Any]]:
    """Every claim of this metric key and scope (corrections applied, "not a
    claim" left out), with whether a live finding cites it."""
    sql = text(
        f"SELECT {_FACTS_COLUMNS}, period_start, period_end,"
        " (SELECT d.content_hash FROM documents d WHERE d.id = facts.doc_id) AS doc_hash"
        " FROM facts"
        f" WHERE {KEY} = :k AND scope = :s AND (not_a_claim IS NULL OR NOT not_a_claim)"
        " ORDER BY period_end, doc_date, doc"
    )
    flagged = text(
        "SELECT fc.doc_hash, fc.start_offset, fc.end_offset, f.severity FROM finding_claims fc"
        " JOIN findings f ON f.id = fc.finding_id WHERE f.status <> 'stale'"
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sql, {"k": metric_key, "s": scope})]
        marks: dict[tuple[str, int, int], str] = {}
        for h, s, e, sev in conn.execute(flagged):
            key = (h, int(s), int(e))
            if key not in marks or SEVERITY_RANK[sev] < SEVERITY_RANK[marks[key]]:
                marks[key] = sev
    for r in rows:
        r["finding"] = marks.get((r["doc_hash"], int(r["start_offset"]), int(r["end_offset"])))
    return rows


def metric_choices(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """Metric keys and scopes stated by more than one claim, most first."""
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    f"SELECT {KEY} AS metric_key, scope, min(metric) AS metric, count(*) AS n,"
                    " count(DISTINCT doc_id) AS docs FROM facts"
                    f" GROUP BY {KEY}, scope HAVING count(*) > 1"
                    " ORDER BY docs DESC, n DESC, 1 LIMIT :n"
                ),
                {"n": limit},
            )
        ]
