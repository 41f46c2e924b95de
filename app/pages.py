"""The HTML pages, in Swedish: home, results, and a report with its goals and passages."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from indexer.answers import ask
from indexer.index import IndexMissing
from indexer.questions import answer_type
from indexer.search import FACETS, QueryError, search

from .history_views import view
from .params import search_params

pages = Blueprint("pages", __name__)

KIND_LABELS = {"goal": "Mål", "summary": "Sammanfattning", "analysis": "Analys",
               "expected_result": "Förväntat resultat", "description": "Beskrivning", "activity": "Aktivitet",
               "indicator": "Indikator", "decision": "Beslut", "economy": "Ekonomi", "other": "Övrigt"}
STATUS_LABELS = {"helt": "Uppfylls helt", "delvis": "Uppfylls delvis", "inte": "Uppfylls inte"}
LEVEL_LABELS = {"inriktningsmal": "KF:s inriktningsmål", "verksamhetsmal": "KF:s mål för verksamhetsområdet",
                "namndmal": "Nämndmål"}
FACET_LABELS = {"namnd": "Nämnd", "year": "År", "report_type": "Rapporttyp", "kind": "Avsnitt",
                "status": "Måluppfyllelse", "deviation": "Avvikelse"}
SORT_LABELS = {"relevance": "Relevans", "date": "Nyast först", "date_asc": "Äldst först"}


def holder():
    return current_app.extensions["rapportsok.index"]


@pages.app_context_processor
def labels():
    return {"KIND_LABELS": KIND_LABELS, "STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
            "FACET_LABELS": FACET_LABELS, "SORT_LABELS": SORT_LABELS, "url_with": url_with,
            "facet_value_label": facet_value_label, "history_link": history_link}


def url_with(**changes) -> str:
    """This search's URL with some arguments changed (None removes one); the page starts over."""
    args = MultiDict(request.args)
    args.pop("offset", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None and value != "":
            args[key] = value
    return url_for(request.endpoint, **request.view_args, **args.to_dict())


def facet_value_label(name: str, value: str) -> str:
    if name == "kind":
        return KIND_LABELS.get(value, value)
    if name == "status":
        return STATUS_LABELS.get(value, value)
    if name == "deviation":
        return {"ja": "Med avvikelse", "nej": "Utan avvikelse"}.get(value, value)
    return value


@pages.get("/")
def home():
    try:
        docs = holder().documents()
    except IndexMissing as exc:
        return render_template("home.html", docs=[], error=str(exc)), 503
    namnder = sorted({d["document"]["namnd"] or d["document"]["organisation"] or "" for d in docs} - {""})
    years = sorted({d["document"]["year"] for d in docs if d["document"]["year"]})
    return render_template("home.html", docs=docs, namnder=namnder, years=years)


@pages.get("/sok")
def results():
    if not request.args.get("q", "").strip():
        return home()
    try:
        params = search_params(request.args)
        with holder().searcher() as s:
            result = search(s, params)
            # A question on the first page gets an answer box above the hits.
            answer = ask(s, params.q)[0] if params.offset == 0 and is_question(params.q) else None
    except QueryError as exc:
        return render_template("results.html", error=str(exc), q=request.args.get("q", "")), 400
    except IndexMissing as exc:
        return render_template("results.html", error=str(exc), q=request.args.get("q", "")), 503
    pages_total = (result.total + params.limit - 1) // params.limit
    return render_template("results.html", result=result, params=params, q=params.q, facets=FACETS,
                           page=params.offset // params.limit + 1, pages_total=pages_total, answer=answer,
                           asked=is_question(params.q) and params.offset == 0, marked=marked)


def is_question(q: str) -> bool:
    return q.rstrip().endswith("?") or answer_type(q) is not None


def marked(answer) -> Markup:
    """The answer sentence, escaped, with its value in <mark>."""
    text = escape(answer.text)
    if answer.value:
        value = escape(answer.value)
        text = Markup(str(text).replace(str(value), f"<mark>{value}</mark>", 1))
    return text


@pages.get("/dokument/<doc_id>")
def document(doc_id: str):
    try:
        record = holder().document(doc_id)
    except IndexMissing as exc:
        return render_template("home.html", docs=[], error=str(exc)), 503
    if record is None:
        abort(404)
    passages = [p for p in holder().passages(doc_id) if p["kind"] != "goal"]
    goals = record["goals"]
    children: dict = {}
    for i, g in enumerate(goals):
        children.setdefault(g["parent"], []).append(i)
    return render_template("document.html", record=record, doc=record["document"], goals=goals, children=children,
                           passages=passages)


@pages.get("/dokument/<doc_id>/original")
def original(doc_id: str):
    record = holder().document(doc_id)
    if record is None or not Path(record["source"]).is_file():
        abort(404)
    # The path comes from the index's own record, never from the request.
    return send_file(record["source"], as_attachment=True, download_name=record["name"])


@pages.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """Errors outside a view (no such route, wrong method): JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        from .api import fail

        return fail(exc.description or exc.name, exc.code or 500)
    message = {404: "Sidan finns inte.", 405: "Det går inte att göra så här."}.get(exc.code, exc.name)
    return render_template("error.html", message=message, status=exc.code), exc.code


HISTORY_PAGES = {"activities": ("Aktiviteter över åren", "aktiviteter"),
                 "indicators": ("Indikatorer över åren", "indikatorer"), "goals": ("Mål över åren", "mal")}


def history_page(what: str):
    title, _ = HISTORY_PAGES[what]
    try:
        total, groups = view(holder(), what, request.args)
    except QueryError as exc:
        return render_template("history.html", what=what, title=title, error=str(exc), groups=[], total=0), 400
    except IndexMissing as exc:
        return render_template("history.html", what=what, title=title, error=str(exc), groups=[], total=0), 503
    return render_template("history.html", what=what, title=title, groups=groups, total=total,
                           q=request.args.get("q", ""), chart=chart_svg)


for _what, (_title, _path) in HISTORY_PAGES.items():
    pages.add_url_rule(f"/{_path}", _what, partial(history_page, _what))


def history_link(hit) -> str | None:
    """From a hit on an activity, indicator or goal: its history across the reports."""
    kind = hit.section["kind"]
    if kind not in ("activity", "indicator", "goal"):
        return None
    endpoint = {"activity": "pages.activities", "indicator": "pages.indicators", "goal": "pages.goals"}[kind]
    words = (hit.section["heading"] or hit.text).split()[:12]
    return url_for(endpoint, q=" ".join(words))


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
