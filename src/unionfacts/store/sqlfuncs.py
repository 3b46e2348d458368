"""SQL functions that unionfacts defines on every SQLite connection it opens.

`unionfacts_text(doc_id, content_hash, start, stop)` is the decoded text of a
document from `start` to `stop` (Python slice semantics). The facts view reads
each claim's `context` and `sentence` through it, so a claim stores offsets
instead of copies of its text. SQLite has no zlib of its own; the function
decompresses `documents.text_zlib` once per document and keeps the last few
texts, keyed by id and content hash so that a replaced document is read again.
(On PostgreSQL the text is a plain column, compressed by TOAST, and the view
uses `substr`.)
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import Any

KEEP_TEXTS = 4  # claims are read document by document; a few texts suffice


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """Define unionfacts' functions on one sqlite3 connection."""
    cache: OrderedDict[int, tuple[str, str]] = OrderedDict()

    def document_text(doc_id: int, content_hash: str) -> str | None:
        hit = cache.get(doc_id)
        if hit is not None and hit[0] == content_hash:
            cache.move_to_end(doc_id)
            return hit[1]
        cur = dbapi_connection.cursor()
        try:
            row = cur.execute(
                "SELECT text, text_zlib FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        finally:
            cur.close()
        if row is None:
            return None
        plain, blob = row
        text = plain if plain is not None else zlib.decompress(blob).decode("utf-8")
        cache[doc_id] = (content_hash, text)
        while len(cache) > KEEP_TEXTS:
            cache.popitem(last=False)
        return text

    def text_slice(doc_id: Any, content_hash: Any, start: Any, stop: Any) -> str | None:
        if doc_id is None or start is None or stop is None:
            return None
        text = document_text(int(doc_id), str(content_hash))
        return None if text is None else text[max(0, int(start)) : int(stop)]

    dbapi_connection.create_function("unionfacts_text", 4, text_slice, deterministic=True)
