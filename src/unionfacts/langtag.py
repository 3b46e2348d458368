"""Which script a Chinese text is written in, for the HTML `lang` attribute:
`zh-Hant` makes a browser pick Traditional glyphs, `zh-Hans` Simplified."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def lang_of(text: str) -> str:
    """zh-Hant when at least 5% of the Han characters change under the
    Traditional → Simplified conversion (a Simplified text changes almost none)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "zh-Hans"
    converted = _t2s().convert("".join(han))
    changed = sum(1 for a, b in zip(han, converted, strict=False) if a != b)
    return "zh-Hant" if changed >= max(1, len(han) // 20) else "zh-Hans"


def to_simplified(text: str) -> str:
    """Traditional → Simplified, character for character (search folds both)."""
    return str(_t2s().convert(text))
