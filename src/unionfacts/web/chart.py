"""Layout of the metric-over-time chart: where each value goes in the SVG.

The template draws it (so every label is escaped by Jinja); here are only
numbers. x is the middle of the claim's period (a stock's as-of day), y its
value; a span period also gets a horizontal bar from its first to last day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from unionfacts.periods import parse_period

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 40
PALETTE = ("#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e")


@dataclass
class Point:
    x: float
    y: float
    x0: float
    x1: float
    colour: str
    target: bool
    finding: str | None
    label: str
    row: dict[str, Any]


@dataclass
class Chart:
    width: int
    height: int
    points: list[Point]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    legend: list[tuple[str, str]]  # (colour, document)
    unplaced: int  # claims with an unknown period, listed in the table only


def _ordinal(d: date) -> float:
    return float(d.toordinal())


def _nice(v: float) -> str:
    if abs(v) >= 1e8:
        return f"{v / 1e8:g}亿"
    if abs(v) >= 1e4:
        return f"{v / 1e4:g}万"
    return f"{v:g}"


def layout(rows: list[dict[str, Any]]) -> Chart:
    placed = []
    for r in rows:
        p = parse_period(r["period"])
        if p.start is None or p.end is None:
            continue
        placed.append((r, _ordinal(p.start), _ordinal(p.end), float(Decimal(r["value_text"]))))
    docs = sorted({r["doc"] for r, *_ in placed})
    colour = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(docs)}
    chart = Chart(
        WIDTH, HEIGHT, [], [], [], [(colour[d], d) for d in docs], len(rows) - len(placed)
    )
    if not placed:
        return chart
    xmin = min(s for _, s, _, _ in placed)
    xmax = max(e for _, _, e, _ in placed)
    ymax = max(v for *_, v in placed)
    ymin = min(0.0, min(v for *_, v in placed))
    xspan = (xmax - xmin) or 1.0
    yspan = (ymax - ymin) or 1.0

    def sx(v: float) -> float:
        return LEFT + (v - xmin) / xspan * (WIDTH - LEFT - RIGHT)

    def sy(v: float) -> float:
        return HEIGHT - BOTTOM - (v - ymin) / (yspan * 1.1) * (HEIGHT - TOP - BOTTOM)

    for r, s, e, v in placed:
        asof = str(r["period"]).startswith("asof:")
        mid = e if asof else (s + e) / 2
        chart.points.append(
            Point(
                x=round(sx(mid), 1),
                y=round(sy(v), 1),
                x0=round(sx(s), 1),
                x1=round(sx(e), 1),
                colour=colour[r["doc"]],
                target=r["modality"] == "target",
                finding=r.get("finding"),
                label=f"{r['quote']} · {r['period']} · {r['doc']}",
                row=r,
            )
        )
    first, last = date.fromordinal(int(xmin)).year, date.fromordinal(int(xmax)).year
    step = max(1, (last - first + 1) // 8)
    for year in range(first, last + 2, step):
        x = _ordinal(date(year, 1, 1))
        if xmin <= x <= xmax:
            chart.x_ticks.append((round(sx(x), 1), str(year)))
    step_y = _step(yspan * 1.1 / 4)
    v = math.floor(ymin / step_y) * step_y
    while v <= ymin + yspan * 1.1:
        if v >= ymin:
            chart.y_ticks.append((round(sy(v), 1), _nice(round(v, 6))))
        v += step_y
    return chart


def _step(raw: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) of at least `raw`."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))
