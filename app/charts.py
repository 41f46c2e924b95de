"""Charts drawn as SVG on the server (no script): an indicator's outcome per report and year."""

from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = ("#0b5cad", "#b5531a", "#1f7a3a", "#7a3aa3", "#a3261f")


def chart_svg(group: dict) -> Markup | None:
    """A small chart of an indicator's outcome per report and year, one line per nämnd, drawn on
    the server (no script); each point links to its passage. None when no outcome is a number."""
    points = [(o, o["numbers"].get("outcome")) for o in group["occurrences"] if o.get("numbers")]
    points = [(o, v) for o, v in points if v is not None]
    if not points:
        return None
    width, height, pad, legend = 420, 150, 34, 16
    years = sorted({o["doc"]["year"] for o, _ in points})
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0

    def x(year) -> float:
        return pad + (years.index(year) if len(years) > 1 else 0.5) * (width - 2 * pad) / max(len(years) - 1, 1)

    def y(value) -> float:
        return height - pad - (value - low) / span * (height - 2 * pad - legend)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="Utfall per år och nämnd">',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#bbb"/>']
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{height - 12}" font-size="10" text-anchor="middle" '
                     f'fill="#5b6673">{year}</text>')
    series: dict[str, list] = {}
    for o, v in points:
        series.setdefault(o["doc"]["namnd"] or "", []).append((o, v))
    for n, (namnd, pts) in enumerate(sorted(series.items())):
        colour = COLOURS[n % len(COLOURS)]
        pts.sort(key=lambda p: p[0]["doc"]["year"] or 0)
        if len(pts) > 1:
            line = " ".join(f"{x(o['doc']['year']):.1f},{y(v):.1f}" for o, v in pts)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for o, v in pts:
            cx, cy = x(o["doc"]["year"]), y(v)
            label = escape(f"{namnd} {o['period'] or o['doc']['period']}: {o['outcome']}")
            parts.append(f'<a href="{escape(o["url"])}"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}">'
                         f"<title>{label}</title></circle></a>")
            right = cx > width / 2  # labels on the inner side of their point, never cut at the edge
            parts.append(f'<text x="{cx - 8 if right else cx + 8:.1f}" y="{cy + 4:.1f}" font-size="11" '
                         f'text-anchor="{"end" if right else "start"}" fill="{colour}">{escape(o["outcome"])}</text>')
        parts.append(f'<text x="{pad + n * 170}" y="12" font-size="11" fill="{colour}">● {escape(namnd)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
