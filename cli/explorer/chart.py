"""A line chart as inline SVG, drawn on the server: no script, no CDN, nothing fetched by the page.

Years run along x; each series is a line through its years. A missing value is a gap in the line,
never a point drawn at 0 or a line bridged across it. The legend sits to the right of the plot, so
it never covers a line, and each point carries its value as a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

# Okabe–Ito: told apart with the common colour-vision deficiencies.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 … a round number ≥ top, in count or fewer round steps."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step)
    return [i * step for i in range(n + 1)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def line_chart(years: Sequence[int], series: Sequence[tuple[str, str, Sequence[float | None]]], title: str,
               width: int = 800, height: int = 340) -> str:
    """series: (label, key, values per year); the legend shows the label and, under it, the key."""
    left, right, top, bottom = 64, 240, 36, 40
    pw, ph = width - left - right, height - top - bottom
    values = [v for _, _, vs in series for v in vs if v is not None]
    ticks = nice_ticks(max(values, default=0))
    ymax = ticks[-1] or 1

    def x(i: int) -> float:
        return left + (pw / 2 if len(years) == 1 else pw * i / (len(years) - 1))

    def y(v: float) -> float:
        return top + ph - ph * v / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gk-chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" font-family="{escape(FONT)}" font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#444">{_fmt(t)}</text>')
    for i, yr in enumerate(years):
        out.append(f'<text x="{x(i):.1f}" y="{top + ph + 18}" text-anchor="middle" fill="#444">{yr}</text>')
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#888"/>')
    for k, (name, key, vs) in enumerate(series):
        color = COLORS[k % len(COLORS)]
        run: list[str] = []
        for i, v in enumerate([*vs, None]):
            if v is None:  # a gap ends the line: nothing is drawn where nothing was printed
                if len(run) > 1:
                    out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{color}">'
                       f"<title>{escape(name)} {years[i]}: {_fmt(v)}</title></circle>")
        ly = top + 8 + 36 * k
        out.append(f'<g class="gk-legend"><line x1="{left + pw + 16}" x2="{left + pw + 40}" y1="{ly}" y2="{ly}" '
                   f'stroke="{color}" stroke-width="3"/><text x="{left + pw + 46}" y="{ly + 4}">{escape(name)}</text>'
                   f'<text x="{left + pw + 46}" y="{ly + 18}" font-size="10" fill="#666">{escape(key)}</text></g>')
    out.append("</svg>")
    return "".join(out)
