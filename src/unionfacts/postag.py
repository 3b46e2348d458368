"""jieba's part-of-speech tags (`jieba.posseg.lcut(text, HMM=False)`), from a
cache of its dictionary that this package builds once per machine.

Importing `jieba.posseg` parses jieba's 349,000-line dictionary twice (the
prefix dictionary and the tag table) and imports `pkg_resources` and the HMM
tables: over a second at every start, for a tagger that reads a few short
phrases per claim. The cache holds the same prefix dictionary and tags, split
by first character and marshalled, so loading it reads one file and a phrase
decodes only the shards of the characters it holds.

`lcut` follows jieba 0.42's `POSTokenizer.cut(HMM=False)` step for step (the
same regexes, the same DAG and route arithmetic), so its tags are jieba's;
tests/test_postag.py compares the two on invented sentences.

The cache lives in $UNIONFACTS_CACHE, else $XDG_CACHE_HOME/unionfacts, else
~/.cache/unionfacts; its name carries the size and time of jieba's dictionary
file, so an upgraded jieba builds a new one, and a tag of that file's path,
so that several installs sharing the folder (virtual environments, worktrees)
keep one cache each: a new cache removes the stale ones of its own install
only, and another install's only when unused for a month. Where no folder is
writable the dictionary is built in memory, as jieba itself would.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
import tempfile
import time
import zlib
from math import log
from pathlib import Path

CACHE_FORMAT = 2

# jieba.posseg's block and character classes (jieba/posseg/__init__.py).
_HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
_NUM = re.compile("[\\.0-9]+")
_ENG = re.compile("[a-zA-Z0-9]+")
_ENG1 = re.compile("^[a-zA-Z0-9]$", re.U)

# A word's entry is one int, frequency << TAG_BITS | tag number (0: no tag),
# which marshal decodes several times faster than a (frequency, tag) tuple.
# Frequency 0 marks a prefix that is no word of its own.
TAG_BITS = 6
_TAG_MASK = (1 << TAG_BITS) - 1


class _Dictionary:
    """The prefix dictionary and tags, decoded one first character at a time."""

    def __init__(self, total: int, tags: list[str], shards: dict[str, bytes]) -> None:
        self.log_total = log(total)
        self.tags: list[str | None] = [None, *tags]
        self._shards = shards
        self._decoded: dict[str, dict[str, int]] = {}

    def words_from(self, char: str) -> dict[str, int]:
        words = self._decoded.get(char)
        if words is None:
            blob = self._shards.get(char)
            words = self._decoded[char] = {} if blob is None else marshal.loads(blob)
        return words

    def get(self, word: str) -> tuple[int, str | None] | None:
        """(frequency, tag) of a word or prefix; None when jieba has neither."""
        entry = self.words_from(word[0]).get(word)
        return None if entry is None else (entry >> TAG_BITS, self.tags[entry & _TAG_MASK])

    def decode_all(self) -> None:
        """Decode every shard now (before forking workers, which then share them)."""
        for char in self._shards:
            self.words_from(char)


_loaded: _Dictionary | None = None


def dictionary() -> _Dictionary:
    """The dictionary, loaded (or built) once per process."""
    global _loaded
    if _loaded is None:
        _loaded = _load()
    return _loaded


def lcut(sentence: str) -> list[tuple[str, str]]:
    """(word, tag) pairs, as `jieba.posseg.lcut(sentence, HMM=False)` gives."""
    out: list[tuple[str, str]] = []
    for block in _HAN_INTERNAL.split(sentence):
        if _HAN_INTERNAL.match(block):
            _cut_block(block, dictionary(), out)
            continue
        for x in _SKIP_INTERNAL.split(block):
            if _SKIP_INTERNAL.match(x):
                out.append((x, "x"))
                continue
            for xx in x:
                if _NUM.match(xx):
                    out.append((xx, "m"))
                elif _ENG.match(x):  # jieba tests the whole run here, not the character
                    out.append((xx, "eng"))
                else:
                    out.append((xx, "x"))
    return out


def _cut_block(sentence: str, d: _Dictionary, out: list[tuple[str, str]]) -> None:
    n = len(sentence)
    dag: list[list[int]] = []
    for k in range(n):
        words = d.words_from(sentence[k])
        ends: list[int] = []
        i, frag = k, sentence[k]
        while i < n and frag in words:
            if words[frag] >> TAG_BITS:
                ends.append(i)
            i += 1
            frag = sentence[k : i + 1]
        dag.append(ends or [k])
    route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for idx in range(n - 1, -1, -1):
        words = d.words_from(sentence[idx])
        best: tuple[float, int] | None = None
        for x in dag[idx]:
            entry = words.get(sentence[idx : x + 1])
            freq = entry >> TAG_BITS if entry else 0
            cand = (log(freq or 1) - d.log_total + route[x + 1][0], x)
            if best is None or cand > best:
                best = cand
        assert best is not None
        route[idx] = best
    x, buf = 0, ""
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if _ENG1.match(word):
            buf += word
        else:
            if buf:
                out.append((buf, "eng"))
                buf = ""
            found = d.get(word)
            out.append((word, found[1] if found and found[1] is not None else "x"))
        x = y
    if buf:
        out.append((buf, "eng"))


def _jieba_dict_file() -> Path:
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _cache_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("UNIONFACTS_CACHE"):
        dirs.append(Path(os.environ["UNIONFACTS_CACHE"]))
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    dirs.append(Path(base) / "unionfacts")
    dirs.append(Path(tempfile.gettempdir()) / "unionfacts")
    return dirs


# Another install's cache older than this is taken for one that is gone.
OTHER_INSTALL_MAX_AGE_S = 30 * 24 * 3600


def _install_tag(dict_file: Path) -> str:
    return f"{zlib.crc32(os.fsencode(dict_file)):08x}"


def cache_name() -> str:
    dict_file = _jieba_dict_file()
    st = dict_file.stat()
    tag = _install_tag(dict_file)
    return f"jieba-pos-{tag}-{st.st_size}-{st.st_mtime_ns}-v{CACHE_FORMAT}.marshal"


def _mark_used(fd: int) -> None:
    """Refresh a day-old cache's time, so that its age says how long it has
    gone unused (see _remove_stale)."""
    try:
        if time.time() - os.fstat(fd).st_mtime > 24 * 3600:
            os.utime(fd)
    except OSError:  # a read-only cache is still a cache
        pass


def _remove_stale(folder: Path, name: str) -> None:
    """Remove this install's other caches (another jieba, another format) and
    other installs' caches unused for a month. Another install's recent cache stays:
    removing it would make the two rebuild each other's at every start."""
    own = "-".join(name.split("-")[:3]) + "-"  # jieba-pos-TAG-
    for old in folder.glob("jieba-pos-*.marshal"):
        if old.name == name:
            continue
        try:
            if old.name.startswith(own) or (
                time.time() - old.stat().st_mtime > OTHER_INSTALL_MAX_AGE_S
            ):
                old.unlink(missing_ok=True)
        except OSError:
            continue


def _load() -> _Dictionary:
    name = cache_name()
    for folder in _cache_dirs():
        try:
            with (folder / name).open("rb") as f:
                total, tags, shards = marshal.load(f)
                _mark_used(f.fileno())
            return _Dictionary(total, tags, shards)
        except (OSError, ValueError, EOFError, TypeError):
            continue
    total, tags, shards = build()
    for folder in _cache_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                marshal.dump((total, tags, shards), f)
            os.replace(tmp, folder / name)  # atomic: a parallel reader never sees half
            _remove_stale(folder, name)
            break
        except OSError:
            continue
    return _Dictionary(total, tags, shards)


def build() -> tuple[int, list[str], dict[str, bytes]]:
    """jieba's own prefix dictionary and tag table, split by first character:
    (total frequency, tag names, shards)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    freq, total = jieba.dt.gen_pfdict(jieba.dt.get_dict_file())
    tag_of: dict[str, str] = jieba.posseg.dt.word_tag_tab
    names = sorted(set(tag_of.values()))
    if len(names) > _TAG_MASK:
        raise ValueError(f"jieba has {len(names)} tags; the cache holds {_TAG_MASK}")
    number = {t: i + 1 for i, t in enumerate(names)}
    by_char: dict[str, dict[str, int]] = {}
    for word, f in freq.items():
        tag = tag_of.get(word)
        by_char.setdefault(word[0], {})[word] = f << TAG_BITS | (number[tag] if tag else 0)
    return total, names, {char: marshal.dumps(words) for char, words in by_char.items()}
