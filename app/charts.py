"""Charts drawn as SVG on the server (no script): an indicator's outcome per report and year."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

COLOURS = ("#0b5cad", "#b5531a", "#1f7a3a", "#7a3aa3", "#a3261f")
YEAR = re.compile(r"\b(19|20)\d\d\b")
UNIT = re.compile(r"[\d\s,.−-]+\s*(.*)$")


def period_kind(period: str | None) -> str:
    """The report's period without its year ("Tertial 1"): only values of the same kind are comparable."""
    return " ".join(YEAR.sub("", period or "").split())


def number_text(value: float) -> str:
    return f"{value:.10g}".replace(".", ",").replace("-", "−")


def unit_of(outcomes: list[str]) -> str:
    """The unit the printed outcomes share ("%", "dagar"), else none."""
    units = {(UNIT.match(o or "") or [None, ""])[1].strip() for o in outcomes}
    return units.pop() if len(units) == 1 else ""


def chart_svg(group: dict) -> Markup | None:
    """A chart of an indicator's outcome per year: one line per nämnd and kind of report period
    (a first tertial is never joined to a second), a labelled y-axis, and beside the picture the same
    points as a list of links to their passages. None when no outcome is a number."""
    points = [(o, o["numbers"].get("outcome")) for o in group["occurrences"] if o.get("numbers")]
    points = [(o, v) for o, v in points if v is not None and o["doc"]["year"]]
    if not points:
        return None
    series: dict[tuple, list] = {}
    for o, v in points:
        series.setdefault((o["doc"]["namnd"] or "", period_kind(o["doc"]["period"])), []).append((o, v))
    width, left, right, top = 340, 52, 12, 10 + 16 * len(series)
    height = top + 130
    bottom = height - 28
    years = sorted({o["doc"]["year"] for o, _ in points})
    low, high = min(0.0, *(v for _, v in points)), max(v for _, v in points)
    span = (high - low) or 1.0
    unit = unit_of([o["outcome"] for o, _ in points])

    def x(year) -> float:
        return left + (years.index(year) + 0.5) * (width - left - right) / len(years)

    def y(value) -> float:
        return bottom - (value - low) / span * (bottom - top - 8)

    title = f"Utfall per år: {group.get('name') or ''}"
    parts = [f'<figure class="chart"><svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}. Värdena finns i listan under diagrammet.">',
             f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="#5b6673"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#5b6673"/>',
             f'<text x="12" y="{(top + bottom) / 2:.1f}" font-size="13" fill="#3d4752" text-anchor="middle" '
             f'transform="rotate(-90 12 {(top + bottom) / 2:.1f})">Utfall{f" ({escape(unit)})" if unit else ""}</text>']
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<line x1="{left - 4}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
                     f'stroke="#dde3ea"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="13" fill="#3d4752" '
                     f'text-anchor="end">{escape(number_text(round(tick, 2)))}</text>')
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{height - 8}" font-size="13" text-anchor="middle" '
                     f'fill="#3d4752">{year}</text>')
    items = []
    for n, ((namnd, kind), pts) in enumerate(sorted(series.items())):
        colour = COLOURS[n % len(COLOURS)]
        pts.sort(key=lambda p: p[0]["doc"]["year"])
        if len(pts) > 1:
            line = " ".join(f"{x(o['doc']['year']):.1f},{y(v):.1f}" for o, v in pts)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for o, v in pts:
            parts.append(f'<circle cx="{x(o["doc"]["year"]):.1f}" cy="{y(v):.1f}" r="5" fill="{colour}"/>')
            period = o["doc"]["period"] or o["period"]
            items.append(f'<li><a href="{escape(o["url"])}">{escape(namnd)}, {escape(period)}: '
                         f'{escape(o["outcome"])}</a></li>')
        name = f"{namnd}, {kind.lower()}" if kind else namnd
        parts.append(f'<text x="{left}" y="{12 + 16 * n}" font-size="13" fill="{colour}">● {escape(name)}</text>')
    parts.append("</svg>")
    parts.append(f'<figcaption>Punkterna i diagrammet:<ul class="points">{"".join(items)}</ul></figcaption></figure>')
    return Markup("".join(parts))
