"""The HTML pages: home, results with an answer box, report pages, the views across years."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, send_file, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from indexer import FACETS, LEVEL_LABELS, STATUS_LABELS, ask

from .charts import chart_svg
from .data import document_data, documents_data, history_data, is_question, search_data
from .state import holder

pages = Blueprint("pages", __name__)

KIND_LABELS = {"goal": "Mål", "summary": "Sammanfattning", "analysis": "Analys",
               "expected_result": "Förväntat resultat", "description": "Beskrivning", "activity": "Aktivitet",
               "indicator": "Indikator", "decision": "Beslut", "economy": "Ekonomi", "other": "Övrigt"}
FACET_LABELS = {"namnd": "Nämnd", "year": "År", "report_type": "Rapporttyp", "kind": "Avsnitt",
                "status": "Måluppfyllelse", "deviation": "Avvikelse"}
SORT_LABELS = {"relevance": "Relevans", "date": "Nyast först", "date_asc": "Äldst först"}


@pages.app_context_processor
def labels():
    return {"KIND_LABELS": KIND_LABELS, "STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
            "FACET_LABELS": FACET_LABELS, "SORT_LABELS": SORT_LABELS, "url_with": url_with,
            "facet_value_label": facet_value_label, "history_link": history_link, "with_args": with_args}


def with_args(endpoint: str, args: MultiDict | None = None, **view_args) -> str:
    """The endpoint's URL with a query string. Request arguments never become url_for keywords
    (a parameter named `endpoint` or `_method` would change what is built)."""
    args = request.args if args is None else args
    query = urlencode(list(args.items(multi=True)))
    return url_for(endpoint, **view_args) + (f"?{query}" if query else "")


def url_with(**changes) -> str:
    """This search's URL with some arguments changed (None removes one); the page starts over."""
    args = MultiDict(request.args)
    args.pop("offset", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None and value != "":
            args[key] = value
    return with_args(request.endpoint, args, **request.view_args)


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
    docs = documents_data()
    namnder = sorted({d["document"]["namnd"] or d["document"]["organisation"] or "" for d in docs} - {""})
    years = sorted({d["document"]["year"] for d in docs if d["document"]["year"]})
    return render_template("home.html", docs=docs, namnder=namnder, years=years)


@pages.get("/sok")
def results():
    if not request.args.get("q", "").strip():
        return home()
    params, result = search_data(request.args)
    answer = None
    if params.offset == 0 and is_question(params.q):
        # A question on the first page gets an answer box above the hits, under the same filters.
        with holder().searcher() as s:
            answer = ask(s, params.q, **params.filters())[0]
    pages_total = (result.total + params.limit - 1) // params.limit
    return render_template("results.html", result=result, params=params, q=params.q, facets=FACETS,
                           page=params.offset // params.limit + 1, pages_total=pages_total, answer=answer,
                           asked=is_question(params.q) and params.offset == 0, marked=marked)


def marked(answer) -> Markup:
    """The answer sentence, escaped, with its value in <mark>."""
    text = escape(answer.text)
    if answer.value:
        value = escape(answer.value)
        text = Markup(str(text).replace(str(value), f"<mark>{value}</mark>", 1))
    return text


@pages.get("/dokument/<doc_id>")
def document(doc_id: str):
    data = document_data(doc_id)
    if data is None:
        abort(404)
    record = data["record"]
    return render_template("document.html", record=record, doc=record["document"], goals=record["goals"],
                           children=data["children"], passages=data["passages"])


@pages.get("/dokument/<doc_id>/original")
def original(doc_id: str):
    record = holder().document(doc_id)
    if record is None or not Path(record["source"]).is_file():
        abort(404)
    # The path comes from the index's own record, never from the request. A PDF is shown inline,
    # so a link ending in #page=N opens the browser's PDF viewer at that page.
    pdf = record["source"].lower().endswith(".pdf")
    return send_file(record["source"], as_attachment=not pdf, download_name=record["name"])


HISTORY_PAGES = {"activities": ("Aktiviteter över åren", "aktiviteter"),
                 "indicators": ("Indikatorer över åren", "indikatorer"), "goals": ("Mål över åren", "mal")}


def history_page(what: str):
    title, _ = HISTORY_PAGES[what]
    total, groups = history_data(what, request.args)
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
