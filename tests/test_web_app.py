"""The review application through Starlette's test client: escaping, CSRF,
read-only mode, reviews identical to `unionfacts review`, corrections that
survive a re-ingest and feed the checker, full-text search."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from unionfacts.findings import list_findings, review
from unionfacts.store import open_database
from unionfacts.store.corrections import CorrectionError, add_correction, corrections
from unionfacts.store.search import bigrams, refresh_index
from unionfacts.web.app import create_app
from unionfacts.web.server import open_read_only
from web_corpus import ingest_and_check, write_corpus

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def corpus_db(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    folder = write_corpus(tmp_path / "reports")
    engine = open_database(str(tmp_path / "web.db"))
    ingest_and_check(engine, folder)
    yield engine, folder
    engine.dispose()


def _client(engine: Engine, **kw: object) -> TestClient:
    return TestClient(create_app(engine, reviewer="web-reviewer", **kw))  # type: ignore[arg-type]


def _token(client: TestClient) -> str:
    m = re.search(r'data-csrf="([^"]+)"', client.get("/findings").text)
    assert m
    return m.group(1)


def _audit_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT finding_id, from_status, to_status, note, who FROM reviews"
                    " WHERE who <> 'unionfacts check' ORDER BY id"
                )
            )
        ]


def _claim_id(engine: Engine, surface: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT id FROM claims WHERE surface = :s"), {"s": surface}
            ).scalar_one()
        )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/findings", ["same_fact_differs", "part_exceeds_whole"]),
        ("/findings?check=part_exceeds_whole", ["part_exceeds_whole"]),
        ("/findings?doc=b.txt", ["same_fact_differs"]),
        ("/findings?metric=新发展会员", ["same_fact_differs"]),
        ("/findings?status=dismissed", []),
    ],
)
def test_queue_filters(corpus_db: tuple[Engine, Path], url: str, expected: list[str]) -> None:
    engine, _ = corpus_db
    page = _client(engine).get(url).text
    rows = re.findall(r'<tr class="row[^>]*>.*?</tr>', page, flags=re.S)
    shown = sorted(c for r in rows for c in ("same_fact_differs", "part_exceeds_whole") if c in r)
    assert shown == sorted(expected)


def test_markup_in_a_document_is_text(corpus_db: tuple[Engine, Path]) -> None:
    engine, _ = corpus_db
    client = _client(engine)
    with engine.connect() as conn:
        doc_id = conn.execute(text("SELECT id FROM documents WHERE name = 'a.txt'")).scalar_one()
    page = client.get(f"/documents/{doc_id}")
    assert "<script>alert" not in page.text and "<b>粗体" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    flagged = re.findall(r'<a class="claim flagged"[^>]*>([^<]+)</a>', page.text)
    assert flagged == ["3.2万人"]  # 120个 is cited by no finding


def test_traditional_document_gets_zh_hant(corpus_db: tuple[Engine, Path]) -> None:
    engine, _ = corpus_db
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT name, id FROM documents")).all())
    client = _client(engine)
    assert '<html lang="zh-Hant">' in client.get(f"/documents/{ids['b.txt']}").text
    assert '<html lang="zh-Hans">' in client.get(f"/documents/{ids['a.txt']}").text


def test_post_without_csrf_token_is_refused(corpus_db: tuple[Engine, Path]) -> None:
    engine, _ = corpus_db
    fid = list_findings(engine)[0].id
    client = _client(engine)
    assert client.post(f"/findings/{fid}/review", data={"status": "fixed"}).status_code == 403
    bad = {"status": "fixed", "csrf": "guess"}
    assert client.post(f"/findings/{fid}/review", data=bad).status_code == 403
    token = _token(client)
    foreign = client.post(
        f"/findings/{fid}/review",
        data={"status": "fixed", "csrf": token},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert _audit_rows(engine) == []


def test_review_in_the_browser_is_the_cli_review(corpus_db: tuple[Engine, Path]) -> None:
    """The same decision through the web and through the library behind
    `unionfacts review` gives the same audit row."""
    engine, _ = corpus_db
    first, second = (f.id for f in list_findings(engine))
    client = _client(engine)
    resp = client.post(
        f"/findings/{first}/review",
        data={"status": "dismissed", "note": "口径不同", "csrf": _token(client)},
        headers={"accept": "application/json"},
    )
    assert resp.json() == {"id": first, "from": "open", "to": "dismissed", "who": "web-reviewer"}
    review(engine, second, "dismissed", "口径不同", "web-reviewer")
    web_row, cli_row = _audit_rows(engine)
    assert web_row[1:] == cli_row[1:] == ("open", "dismissed", "口径不同", "web-reviewer")
    audit = client.get("/audit").text
    assert audit.count("口径不同") == 2


def test_read_only_server_writes_nothing(corpus_db: tuple[Engine, Path], tmp_path: Path) -> None:
    engine, _ = corpus_db
    fid = list_findings(engine)[0].id
    ro = open_read_only(str(tmp_path / "web.db"))
    client = TestClient(create_app(ro, read_only=True))
    page = client.get(f"/findings/{fid}").text
    assert "<form" not in page
    resp = client.post(f"/findings/{fid}/review", data={"status": "fixed", "csrf": "x"})
    assert resp.status_code == 403
    assert client.get("/claims?q=新发展会员").status_code == 200  # no index refresh
    with pytest.raises(Exception, match="readonly"):
        review(ro, fid, "fixed", "", "someone")
    ro.dispose()
    assert _audit_rows(engine) == []


def test_read_only_refuses_a_missing_database(tmp_path: Path) -> None:
    from unionfacts.store import DatabaseError

    with pytest.raises(DatabaseError, match="no such database"):
        open_read_only(str(tmp_path / "none.db"))


@pytest.mark.parametrize(
    ("text_", "expected"),
    [("新发展会员", ["新发", "发展", "展会", "会员"]), ("3.2万人", ["3", "2万", "万人"]), ("", [])],
)
def test_bigrams(text_: str, expected: list[str]) -> None:
    assert bigrams(text_) == expected


@pytest.mark.parametrize(
    ("q", "quotes"),
    [
        ("新发展会员", ["3.2万人", "120个", "4.5萬人", "120個"]),  # the sentences
        ("新發展會員", ["3.2万人", "120个", "4.5萬人", "120個"]),  # Traditional folds
        ("3.2万", ["3.2万人"]),
        ("4.5萬", ["4.5萬人"]),  # the quote keeps the original characters
        ("街道职工", ["50个", "60个"]),
        ("驿", ["3.2万人", "120个", "4.5萬人", "120個"]),  # one character: LIKE
        ("没有的词", []),
    ],
)
def test_search(corpus_db: tuple[Engine, Path], q: str, quotes: list[str]) -> None:
    engine, _ = corpus_db
    page = _client(engine).get("/claims", params={"q": q}).text
    found = re.findall(r'<a href="/claims/\d+">([^<]+)</a>', page)
    assert sorted(found) == sorted(quotes)


def test_search_index_follows_a_reingest(corpus_db: tuple[Engine, Path]) -> None:
    engine, folder = corpus_db
    assert refresh_index(engine) == 6
    assert refresh_index(engine) == 0
    ingest_and_check(engine, folder, force=True)
    assert refresh_index(engine) == 6  # every claim row was replaced
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM claim_search")).scalar_one()
    assert n == 6


def test_correction_survives_reingest_and_feeds_the_checker(
    corpus_db: tuple[Engine, Path],
) -> None:
    engine, folder = corpus_db
    client = _client(engine)
    cid = _claim_id(engine, "4.5萬人")
    resp = client.post(
        f"/claims/{cid}/correct",
        data={
            "csrf": _token(client),
            "period": "2022",
            "note": "说的是上一年",
            "metric": "新发展会员",
            "scope": "云湾市",
            "kind": "flow",
            "modality": "actual",
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "period → 2022" in resp.text
    ingest_and_check(engine, folder, force=True)  # new claim rows, same content
    new_cid = _claim_id(engine, "4.5萬人")
    assert new_cid != cid
    page = client.get(f"/claims/{new_cid}").text
    assert "web-reviewer" in page and "说的是上一年" in page
    statuses = {f.check: f.status for f in list_findings(engine)}
    assert statuses["same_fact_differs"] == "stale"  # 2022 and 2023 no longer clash
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT period, corrected_by FROM facts WHERE claim_id = :c"), {"c": new_cid}
        ).one()
    assert tuple(row) == ("2022", "web-reviewer")


def test_not_a_claim_leaves_the_checker(corpus_db: tuple[Engine, Path]) -> None:
    engine, folder = corpus_db
    add_correction(engine, _claim_id(engine, "60个"), {}, "analyst", not_claim=True)
    ingest_and_check(engine, folder)
    statuses = {f.check: f.status for f in list_findings(engine)}
    assert statuses["part_exceeds_whole"] == "stale"
    assert len(corrections(engine)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "flux"}, "kind must be one of"),
        ({"period": "去年"}, "period grammar"),
        ({"unit": "人"}, "cannot correct 'unit'"),
        ({"metric": "新发展会员"}, "nothing to correct"),
    ],
)
def test_bad_corrections(
    corpus_db: tuple[Engine, Path], changes: dict[str, str], message: str
) -> None:
    engine, _ = corpus_db
    with pytest.raises(CorrectionError, match=message):
        add_correction(engine, _claim_id(engine, "3.2万人"), changes, "analyst")


def test_finding_claims_link_to_claims(corpus_db: tuple[Engine, Path]) -> None:
    engine, folder = corpus_db
    sql = text("SELECT count(*) FROM finding_claims WHERE claim_id IS NULL")
    with engine.connect() as conn:
        assert conn.execute(sql).scalar_one() == 0
    ingest_and_check(engine, folder, force=True)
    with engine.connect() as conn:
        assert conn.execute(sql).scalar_one() == 0
        linked = (
            conn.execute(
                text(
                    "SELECT c.surface FROM finding_claims fc JOIN claims c ON c.id = fc.claim_id"
                    " ORDER BY c.surface"
                )
            )
            .scalars()
            .all()
        )
    assert linked == ["3.2万人", "4.5萬人", "50个", "60个"]


def test_every_page_answers(corpus_db: tuple[Engine, Path]) -> None:
    engine, _ = corpus_db
    client = _client(engine)
    fid = list_findings(engine)[0].id
    cid = _claim_id(engine, "120个")
    for url in [
        "/",
        "/findings?sort=check",
        f"/findings/{fid}",
        "/claims?kind=stock",
        f"/claims/{cid}",
        "/documents",
        "/metric",
        "/audit",
        "/metric?key=warm_stations&scope=云湾市",
    ]:
        assert client.get(url).status_code == 200, url
    # 新发展会员 is the concept new_members of rules/metrics.yaml
    chart = client.get("/metric?key=new_members&scope=云湾市").text
    assert chart.count('class="point actual flagged"') == 2
    assert client.get("/findings/ffffffffff").status_code == 404


@pytest.mark.parametrize(
    ("raw", "step"), [(0.3, 0.5), (1.0, 1.0), (137.5, 200.0), (2500.0, 5000.0), (0.0, 1.0)]
)
def test_chart_ticks_are_round(raw: float, step: float) -> None:
    from unionfacts.web.chart import _step

    assert _step(raw) == pytest.approx(step)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/findings?status=open", "/findings?status=open"),
        ("//evil.example/x", "/d"),
        ("/\\evil.example", "/d"),
        ("https://evil.example/", "/d"),
        ("javascript:alert(1)", "/d"),
        ("/a\nb", "/d"),
    ],
)
def test_redirects_stay_on_this_server(target: str, expected: str) -> None:
    from unionfacts.web.app import _local_next

    assert _local_next(target, "/d") == expected


def test_foreign_host_header_is_refused(corpus_db: tuple[Engine, Path]) -> None:
    engine, _ = corpus_db
    client = _client(engine)
    assert client.get("/findings", headers={"host": "rebound.example:8000"}).status_code == 400
    assert client.get("/findings", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_a_correction_can_be_taken_back(corpus_db: tuple[Engine, Path]) -> None:
    engine, folder = corpus_db
    cid = _claim_id(engine, "60个")
    add_correction(engine, cid, {}, "analyst", not_claim=True)
    add_correction(engine, cid, {}, "analyst")  # as extracted again
    ingest_and_check(engine, folder)
    statuses = {f.check: f.status for f in list_findings(engine)}
    assert statuses["part_exceeds_whole"] == "open"
