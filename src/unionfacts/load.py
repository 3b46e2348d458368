"""Load report files: find them, detect their encoding, decode, read front matter.

Bad input never raises anything but `LoadError`, whose `str()` is one line that
names the file and the problem, so a batch can report it and go on.

Memory: the raw bytes are read once and decoded once (a failed strict decode
is dropped before the next try); encoding detection looks at a 64 KB sample.
For a 50 MB file the peak is about the bytes plus twice the decoded string
(measured: 2.6x the file size for UTF-8, 3.3x for GB18030).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import yaml

from unionfacts.models import LoadedDocument
from unionfacts.numbers import MAX_DIGITS

SUFFIXES = frozenset({".txt", ".md"})
SAMPLE_BYTES = 64 * 1024

# Detected encodings are reported under these names only.
_CANONICAL = {
    "utf_8": "utf-8",
    "utf-8": "utf-8",
    "ascii": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",  # gb18030 is a superset of gbk and gb2312
    "gb2312": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5",
    "cp950": "big5",
}
_CN_CANDIDATES = ["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950"]

# C0 controls that never occur in text (tab, newlines, form feed and ESC may).
# Multi-byte sequences of gb18030/big5/utf-8 never contain bytes below 0x30,
# so this test is valid on the raw bytes of every supported encoding.
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")

# The most frequent characters of Chinese prose, in their simplified forms;
# the traditional forms are added at first use. A wrong decoding of GB bytes
# as Big5 (or the reverse) yields mostly rare characters.
_COMMON_SIMPLIFIED = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研会工职劳市省务服领导万元项"
)


class LoadError(Exception):
    """A file that cannot be loaded; `str()` is one line naming the file."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.message = " ".join(message.split())  # one line, whatever the cause said
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class InputNote:
    """A path that was looked at and left out on purpose (an empty folder, a
    folder reached twice through symlinks); `str()` is one line naming it."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def iter_input_files(paths: Sequence[Path]) -> Iterator[Path | LoadError | InputNote]:
    """The `.txt`/`.md` files named or found (recursively) under `paths`.

    Problems come first, as `LoadError` values (a missing path, an unreadable
    folder, a symlink loop) or `InputNote` values (an empty folder, a folder
    already walked through another link), so a batch reports them and goes on;
    then the files, sorted and without duplicates. A file named explicitly is
    taken whatever its suffix; inside folders, hidden files and folders are
    skipped, and symlinked folders are followed once each.
    """
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            before = len(found)
            problems = list(_walk(path, found))
            yield from problems
            if len(found) == before and not any(isinstance(p, LoadError) for p in problems):
                yield InputNote(path, "no .txt or .md files in this folder; nothing to ingest")
        elif path.exists():
            found.setdefault(path.resolve(), path)
        elif path.is_symlink():
            yield LoadError(path, "broken symlink or symlink loop")
        else:
            yield LoadError(path, "no such file or directory")
    yield from sorted(found.values())


def _walk(top: Path, found: dict[Path, Path]) -> Iterator[LoadError | InputNote]:
    errors: list[OSError] = []
    seen: set[str] = {os.path.realpath(top)}
    for root, dirs, files in os.walk(top, onerror=errors.append, followlinks=True):
        yield from (
            LoadError(Path(e.filename or root), f"unreadable folder: {e.strerror or e}")
            for e in errors
        )
        errors.clear()
        keep = []
        for d in dirs:
            if d.startswith("."):
                continue
            real = os.path.realpath(os.path.join(root, d))
            if real in seen:  # a link back up, or a second link to one folder
                yield InputNote(Path(root) / d, f"folder already read as {real} (a symlink to it)")
                continue
            seen.add(real)
            keep.append(d)
        dirs[:] = keep
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            file = Path(root) / name
            try:
                found.setdefault(file.resolve(strict=True), file)
            except (OSError, RuntimeError):  # RuntimeError: a loop, on Python < 3.13
                yield LoadError(file, "broken symlink or symlink loop")
    yield from (
        LoadError(Path(e.filename or top), f"unreadable folder: {e.strerror or e}") for e in errors
    )


def load_file(path: Path) -> LoadedDocument:
    """Read, decode and split off the front matter of one file.

    Raises `LoadError` for a missing, unreadable, empty, binary or undecodable
    file and for front matter that is not a YAML mapping.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise LoadError(path, f"unreadable: {exc.strerror or exc}") from None
    if not raw:
        raise LoadError(path, "empty file")
    text, encoding = decode(raw, path)
    content_hash = hashlib.sha256(raw).hexdigest()
    size = len(raw)
    del raw  # the decoded text is all that is kept
    if _NON_SPACE.search(text) is None:  # (not text.strip(): that copies the text)
        raise LoadError(path, "empty file (only white space)")
    front_matter, body_start = read_front_matter(text, path)
    warnings = drop_bad_front_matter(front_matter)
    warnings.extend(_overlong_numbers(text))
    return LoadedDocument(
        path=path,
        name=path.name,
        text=text,
        encoding=encoding,
        content_hash=content_hash,
        size_bytes=size,
        body_start=body_start,
        front_matter=front_matter,
        warnings=tuple(warnings),
    )


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode `raw` and name its encoding ("utf-8", "utf-8-sig", "utf-16", ...).

    A byte-order mark decides first. A UTF-8 one stays in the text as U+FEFF,
    as a plain UTF-8 reader (the evaluation's scorer, an analyst's script) sees
    it, so that offsets agree with theirs; normalization drops it. UTF-16's
    codec consumes its mark.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw, "utf-8", path), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", path), "utf-16"
    sample = raw[:SAMPLE_BYTES]
    if b"\x00" in raw:
        codec = _utf16_without_bom(sample)
        if codec is None:
            raise LoadError(path, "binary content (NUL bytes), not a text file")
        return _strict(raw, codec, path), "utf-16"
    if len(_CONTROL_BYTES.findall(sample)) > max(2, len(sample) // 1000):
        # UTF-16 of CJK text alone has no NUL bytes, but low bytes like 0x02
        # (市 is U+5E02): it is text when it decodes to common characters.
        codec = _utf16_of_cjk(raw)
        if codec is not None:
            return _strict(raw, codec, path), "utf-16"
        raise LoadError(path, "binary content (control characters), not a text file")
    # A failing UTF-8 decode of the whole file first allocates ~3x its size, so
    # the sample is tried first and the whole file only when the sample passes.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return _decode_chunked(raw, "utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # Detect on the bytes where UTF-8 broke, not on a leading ASCII stretch.
        if exc.object is raw:
            sample = raw[exc.start : exc.start + SAMPLE_BYTES]
    for codec in _rank_chinese(sample):
        try:
            return _decode_chunked(raw, codec), codec
        except UnicodeDecodeError:
            continue
    raise LoadError(path, "undecodable: not UTF-8, UTF-16, GB18030 or Big5 text")


def _decode_chunked(raw: bytes, codec: str) -> str:
    """`raw.decode(codec)`, strict; UTF-8 in 1 MB steps.

    `bytes.decode("utf-8")` over-allocates its output for CJK text (peak ~3x
    the input); decoding views of the bytes piece by piece and joining keeps
    the peak near twice the final string. The CJK codecs allocate tightly.
    """
    if not codec.startswith("utf-8"):
        return raw.decode(codec)
    decoder = codecs.getincrementaldecoder(codec)()
    view = memoryview(raw)
    step = 1 << 20
    parts = [decoder.decode(view[i : i + step]) for i in range(0, len(raw), step)]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def _strict(raw: bytes, codec: str, path: Path) -> str:
    try:
        return _decode_chunked(raw, codec)
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"undecodable as {codec} at byte {exc.start}") from None


def _utf16_without_bom(sample: bytes) -> str | None:
    """`utf-16-le`/`-be` when NUL bytes sit on one parity, as ASCII does in UTF-16."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    total = even + odd
    if total < 2:
        return None
    codec = "utf-16-le" if odd >= 0.9 * total else "utf-16-be" if even >= 0.9 * total else None
    if codec is None:
        return None
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL_CHARS.search(text) else codec


def _utf16_of_cjk(raw: bytes) -> str | None:
    """`utf-16-le`/`-be` when the sample decodes to text that is mostly common
    Chinese characters (random bytes read as UTF-16 rarely hit them)."""
    if len(raw) % 2:
        return None
    sample = raw[:SAMPLE_BYTES]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if not text or _CONTROL_CHARS.search(text):
            continue
        visible = [c for c in text if not c.isspace()]
        if visible and _common_count("".join(visible)) >= UTF16_COMMON_SHARE * len(visible):
            return codec
    return None


# Share of common characters above which bytes read as UTF-16 are Chinese
# text: real prose has well over half, random bytes about 1%.
UTF16_COMMON_SHARE = 0.3

_NON_SPACE = re.compile(r"\S")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _rank_chinese(sample: bytes) -> list[str]:
    """Chinese codecs that decode `sample` strictly, most plausible first.

    charset-normalizer proposes candidates among the Chinese codecs; its names
    fold into gb18030 (superset of gbk/gb2312) or big5. Between those two the
    one whose decoding holds more common characters wins, because each decodes
    much of the other's bytes without error, into rare characters.
    """
    proposed = {"gb18030", "big5"}
    try:
        from charset_normalizer import from_bytes

        for match in from_bytes(sample, cp_isolation=_CN_CANDIDATES, explain=False):
            proposed.add(_CANONICAL.get(match.encoding, "gb18030"))
    except Exception:  # detection is advice only: strict decoding decides below
        pass
    scored: list[tuple[int, int, str]] = []
    for codec in sorted(proposed):
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            text = decoder.decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        scored.append((_common_count(text), codec == "gb18030", codec))
    scored.sort(reverse=True)
    return [codec for _, _, codec in scored]


_COMMON: frozenset[str] | None = None


def _common_count(text: str) -> int:
    global _COMMON
    if _COMMON is None:
        import opencc  # loaded only when a file is not UTF-8

        traditional = opencc.OpenCC("s2t").convert(_COMMON_SIMPLIFIED)
        _COMMON = frozenset(_COMMON_SIMPLIFIED) | frozenset(traditional)
    common = _COMMON
    return sum(1 for c in text if c in common)


_FM_CLOSE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_FM_MAX_CHARS = 64 * 1024  # front matter is a short header; don't scan whole books
_KNOWN_KEYS = {"title": str, "issuer": str, "scope": str}


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as the text written: `date: 2024-02-30`
    is then a warning about that value (see `front_matter_warnings`), not a
    ValueError from inside the YAML library."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_OVERLONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


def _overlong_numbers(text: str) -> list[str]:
    """Say where a digit run too long to be a figure is (extraction skips it:
    see unionfacts.numbers.MAX_DIGITS); the first one, and how many."""
    found = _OVERLONG_NUMBER.finditer(text)
    first = next(found, None)
    if first is None:
        return []
    more = sum(1 for _ in found)
    line = text.count("\n", 0, first.start()) + 1
    also = f" (and {more} more)" if more else ""
    return [f"line {line}: a number of {len(first.group())} digits is not a figure; skipped{also}"]


_FM_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")  # as unionfacts.meta reads it


def drop_bad_front_matter(front: dict[str, object]) -> list[str]:
    """Remove the values that do not stop a document but cannot be used,
    saying so: the document's date is then read from its text."""
    out = []
    value = front.get("date")
    if value is not None and not isinstance(value, date):
        text = str(value).strip()
        m = _FM_DATE.match(text)
        try:
            if m is None:
                raise ValueError(text)
            date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
        except ValueError:
            del front["date"]
            out.append(f"front matter: date {text!r} is not a date (YYYY-MM-DD); ignored")
    return out


def read_front_matter(text: str, path: Path) -> tuple[dict[str, object], int]:
    """The YAML front matter of `text` and the offset where the body starts.

    Front matter is only recognised when the text starts with a `---` line and
    a closing `---` line follows; it stays in the text (offsets count from the
    start of the file). Without it the result is `({}, 0)`.
    """
    first = re.match(r"\ufeff?---[ \t]*\r?\n", text)
    if first is None:
        return {}, 0
    close = _FM_CLOSE.search(text, first.end(), _FM_MAX_CHARS)
    if close is None:
        return {}, 0
    block = text[first.end() : close.start()]
    body_start = close.end()
    if text.startswith("\r\n", body_start):
        body_start += 2
    elif text.startswith("\n", body_start):
        body_start += 1
    try:
        data = yaml.load(block, Loader=_FrontMatterLoader)  # a SafeLoader: no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 2 if mark is not None else None  # +1 for `---`, +1 1-based
        raise LoadError(path, f"unreadable front matter: {problem}", line=line) from None
    except RecursionError:
        raise LoadError(path, "unreadable front matter: nested too deeply", line=2) from None
    if data is None:
        return {}, body_start
    if not isinstance(data, dict):
        raise LoadError(
            path, f"unreadable front matter: expected a mapping, got {type(data).__name__}", 2
        )
    front: dict[str, object] = {str(k): v for k, v in data.items()}
    _check_known_keys(front, path)
    return front, body_start


def _check_known_keys(front: dict[str, object], path: Path) -> None:
    for key, kind in _KNOWN_KEYS.items():
        value = front.get(key)
        if value is not None and not isinstance(value, kind):
            raise LoadError(path, f"front matter: {key} must be text, got {value!r}")
    year = front.get("year")
    if year is not None and not (
        isinstance(year, int) or (isinstance(year, str) and year.strip().isdigit())
    ):
        raise LoadError(path, f"front matter: year must be a number, got {year!r}")
