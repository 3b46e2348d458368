"""Routes of the review application.

Every decision goes through `unionfacts.findings.review`, the function behind
`unionfacts review`, so the audit row a browser writes is the row the command
line writes. Pages are Jinja2 templates with autoescaping on, so a `<script>`
inside a report is shown as text; the Content-Security-Policy allows only the
package's own script and style sheet. A POST must carry the server's CSRF
token (a random value made at start-up and written into every form) and, when
the browser sends one, an Origin of this server. With `read_only` no route
writes: the forms are not shown and every POST is refused.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

import unionfacts
from unionfacts.check.rules import CheckRules
from unionfacts.findings import REVIEW_STATUSES, ReviewError, check_database, get_finding, review
from unionfacts.langtag import lang_of
from unionfacts.report import split_context
from unionfacts.store.corrections import (
    CHOICES,
    FIELDS,
    CorrectionError,
    add_correction,
    correction_history,
)
from unionfacts.store.search import refresh_index
from unionfacts.web import queries
from unionfacts.web.chart import layout

HERE = Path(__file__).resolve().parent
DECISION_KEYS = {"confirmed": "c", "dismissed": "d", "fixed": "f"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class _Headers(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


def _local_next(value: object, default: str) -> str:
    """A redirect target inside this server only (a browser reads `/\\x` as
    `//x`, another host, so backslashes and control characters are refused)."""
    s = str(value or "")
    if (
        s.startswith("/")
        and not s.startswith("//")
        and "\\" not in s
        and s.isprintable()
        and not urlsplit(s).netloc
    ):
        return s
    return default


def create_app(
    engine: Engine,
    *,
    read_only: bool = False,
    reviewer: str = "unknown",
    check_rules: Callable[[], CheckRules] | None = None,
    allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "testserver"),
) -> Starlette:
    """The application over an open engine (its schema at head). Requests
    whose Host is not in `allowed_hosts` are refused, so a page elsewhere
    cannot reach this server by pointing its own name at 127.0.0.1 (DNS
    rebinding) and read the CSRF token."""
    csrf_token = secrets.token_urlsafe(32)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(
        read_only=read_only,
        reviewer=reviewer,
        csrf_token=csrf_token,
        version=unionfacts.__version__,
        decision_keys=DECISION_KEYS,
        lang_of=lang_of,
    )
    env.filters["context"] = lambda claim, width=60: split_context(claim, width)

    def page(request: Request, name: str, status_code: int = 200, **ctx: Any) -> Response:
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)

    async def writable(request: Request) -> dict[str, Any]:
        """The form of a POST that may write; raises 403 otherwise."""
        if read_only:
            raise HTTPException(403, "this server is read-only (--read-only)")
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.url.netloc:
            raise HTTPException(403, "cross-origin request refused")
        form = dict(await request.form())
        sent = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
        if not hmac.compare_digest(sent.encode(), csrf_token.encode()):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return form

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    # -- findings --------------------------------------------------------------

    async def home(request: Request) -> Response:
        return RedirectResponse("/findings", status_code=303)

    async def findings_queue(request: Request) -> Response:
        qp = request.query_params
        filters = {k: qp.get(k, "") for k in queries.QUEUE_FACETS}
        if "status" not in qp:
            filters["status"] = "open"
        sort = qp.get("sort", "severity")
        q = queries.queue(engine, filters, sort)

        def link(**change: str) -> str:
            params = {**filters, "sort": sort, **change}
            return "/findings?" + urlencode({k: v for k, v in params.items()})

        here = str(request.url.path) + ("?" + str(request.url.query) if request.url.query else "")
        return page(
            request,
            "queue.html",
            queue=q,
            filters=filters,
            sort=sort,
            sorts=list(queries.QUEUE_SORTS),
            link=link,
            here=here,
        )

    async def finding_page(request: Request) -> Response:
        try:
            f = get_finding(engine, request.path_params["fid"])
        except ReviewError as e:
            raise HTTPException(404, str(e)) from None
        hashes = [str(c.get("doc_hash")) for c in f.claims]
        docs = queries.documents_by_hash(engine, hashes)
        ids = queries.claim_ids_for(
            engine, [(str(c["doc_hash"]), int(c["start"]), int(c["end"])) for c in f.claims]
        )
        score = next(
            (c.get(k) for c in f.claims for k in ("identity_score", "identity") if c.get(k)),
            getattr(f, "identity_score", None),
        )
        return page(
            request,
            "finding.html",
            f=f,
            docs=docs,
            claim_ids=ids,
            identity_score=score,
            statuses=REVIEW_STATUSES,
            next_url=_local_next(request.query_params.get("next"), "/findings"),
        )

    async def review_post(request: Request) -> Response:
        form = await writable(request)
        fid = request.path_params["fid"]
        try:
            done_id, before, after = review(
                engine, fid, str(form.get("status", "")), str(form.get("note", "")), reviewer
            )
        except ReviewError as e:
            if wants_json(request):
                return JSONResponse({"error": str(e)}, status_code=400)
            raise HTTPException(400, str(e)) from None
        if wants_json(request):
            return JSONResponse({"id": done_id, "from": before, "to": after, "who": reviewer})
        return RedirectResponse(
            _local_next(form.get("next"), f"/findings/{done_id}"), status_code=303
        )

    async def audit_page(request: Request) -> Response:
        return page(request, "audit.html", rows=queries.audit(engine))

    async def check_post(request: Request) -> Response:
        form = await writable(request)
        rules = check_rules() if check_rules else None
        summary = check_database(engine, rules)
        message = (
            f"check: {summary.total} finding(s), {summary.new} new, {summary.reopened} reopened"
        )
        target = _local_next(form.get("next"), "/findings")
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}{urlencode({'msg': message})}", status_code=303)

    # -- claims and documents ----------------------------------------------------

    async def claims_list(request: Request) -> Response:
        qp = request.query_params
        filters = {k: qp.get(k, "") for k in queries.CLAIM_FACETS}
        q = qp.get("q", "")
        try:
            offset = max(0, int(qp.get("offset", "0")))
        except ValueError:
            offset = 0
        if not read_only and q.strip():
            refresh_index(engine)
        result = queries.claims_page(engine, filters, q, offset=offset)

        def link(**change: str) -> str:
            params = {**filters, "q": q, **change}
            return "/claims?" + urlencode({k: v for k, v in params.items() if v})

        return page(
            request, "claims.html", result=result, filters=filters, q=q, link=link, offset=offset
        )

    async def claim_page(request: Request) -> Response:
        cid = int(request.path_params["cid"])
        row = queries.claim(engine, cid)
        if row is None:
            raise HTTPException(404, f"no claim with id {cid}")
        history = correction_history(
            engine, (row["doc_hash"], int(row["start_offset"]), int(row["end_offset"]))
        )
        return page(
            request,
            "claim.html",
            c=row,
            history=history,
            fields=FIELDS,
            choices=CHOICES,
            findings=queries.findings_of_claim(engine, cid),
            error=None,
        )

    async def correct_post(request: Request) -> Response:
        form = await writable(request)
        cid = int(request.path_params["cid"])
        changes = {k: str(form.get(k, "")) for k in FIELDS}
        try:
            add_correction(
                engine,
                cid,
                changes,
                reviewer,
                note=str(form.get("note", "")),
                not_claim=form.get("not_claim") in ("1", "on", "true"),
            )
        except CorrectionError as e:
            row = queries.claim(engine, cid)
            if row is None:
                raise HTTPException(404, str(e)) from None
            return page(
                request,
                "claim.html",
                status_code=400,
                c=row,
                history=correction_history(
                    engine, (row["doc_hash"], int(row["start_offset"]), int(row["end_offset"]))
                ),
                fields=FIELDS,
                choices=CHOICES,
                findings=queries.findings_of_claim(engine, cid),
                error=str(e),
            )
        return RedirectResponse(f"/claims/{cid}", status_code=303)

    async def documents_list(request: Request) -> Response:
        return page(request, "documents.html", docs=queries.documents(engine))

    async def document_page(request: Request) -> Response:
        view = queries.document_view(engine, int(request.path_params["did"]))
        if view is None:
            raise HTTPException(404, "no such document")
        return page(request, "document.html", v=view)

    async def metric_page(request: Request) -> Response:
        key = request.query_params.get("key", "")
        scope = request.query_params.get("scope", "")
        if not key:
            return page(request, "metrics.html", choices=queries.metric_choices(engine))
        rows = queries.metric_points(engine, key, scope)
        return page(request, "metric.html", key=key, scope=scope, rows=rows, chart=layout(rows))

    async def error_page(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
        if wants_json(request):
            return JSONResponse({"error": detail}, status_code=status)
        return page(request, "error.html", status_code=status, status=status, detail=detail)

    routes: Sequence[Route | Mount] = [
        Route("/", home),
        Route("/findings", findings_queue),
        Route("/findings/{fid:str}", finding_page),
        Route("/findings/{fid:str}/review", review_post, methods=["POST"]),
        Route("/audit", audit_page),
        Route("/check", check_post, methods=["POST"]),
        Route("/claims", claims_list),
        Route("/claims/{cid:int}", claim_page),
        Route("/claims/{cid:int}/correct", correct_post, methods=["POST"]),
        Route("/documents", documents_list),
        Route("/documents/{did:int}", document_page),
        Route("/metric", metric_page),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(
        routes=list(routes),
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
            Middleware(_Headers),
        ],
        exception_handlers={HTTPException: error_page, 500: error_page},
    )
