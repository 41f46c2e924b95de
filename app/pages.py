"""The HTML pages, in Swedish: home, results, and a report with its goals and passages."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from indexer.answers import ask
from indexer.index import IndexMissing
from indexer.questions import answer_type
from indexer.search import FACETS, QueryError, search

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
            "facet_value_label": facet_value_label}


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
