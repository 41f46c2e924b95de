"""The HTML pages: home, results with an answer box, report pages, the views across years, more
like this, a search's Atom feed and the accessibility statement."""

from __future__ import annotations

import gzip
import re
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, render_template, request, send_file, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from indexer import FACETS, LEVEL_LABELS, MAX_OFFSET, STATUS_LABELS, IndexDamaged, QueryError, is_question

from .charts import chart_svg
from .data import (absolute, document_data, documents_data, history_data, passage_data, report_date, results_data,
                   search_data, similar_data)
from .labels import FACET_LABELS, KIND_LABELS, SORT_LABELS, facet_value_label
from .marking import highlighter
from .params import reversed_years
from .state import holder

pages = Blueprint("pages", __name__)
HISTORY_LIMIT = 20
PAGE_SIZES = (10, 20, 50, 100)  # hits per page a reader can choose


# A page this large goes gzipped to a browser that takes it: a long report's page is 0.5–1 MB of HTML.
COMPRESS_FROM = 32_000


@pages.after_request
def compressed(response):
    if (response.direct_passthrough or response.mimetype != "text/html" or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "")):
        return response
    body = response.get_data()
    if len(body) >= COMPRESS_FROM:
        response.set_data(gzip.compress(body, compresslevel=5))
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


@pages.app_context_processor
def labels():
    return {"KIND_LABELS": KIND_LABELS, "STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
            "FACET_LABELS": FACET_LABELS, "SORT_LABELS": SORT_LABELS, "url_with": url_with,
            "facet_value_label": facet_value_label, "history_link": history_link, "with_args": with_args,
            "passage_link": passage_link, "report_date": report_date, "page_args": page_args}


def with_args(endpoint: str, args: MultiDict | None = None, **view_args) -> str:
    """The endpoint's URL with a query string. Request arguments never become url_for keywords
    (a parameter named `endpoint` or `_method` would change what is built)."""
    args = request.args if args is None else args
    query = urlencode(list(args.items(multi=True)))
    return url_for(endpoint, **view_args) + (f"?{query}" if query else "")


def page_args() -> MultiDict:
    """The arguments this page was made from: a results page drops an argument it could not use,
    and its links and forms leave it out too."""
    return g.get("searched", request.args)


def url_with(**changes) -> str:
    """This page's URL with some arguments changed (None removes one); the page starts over."""
    args = MultiDict(page_args())
    args.pop("offset", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None and value != "":
            args[key] = value
    return with_args(request.endpoint, args, **request.view_args)


def page_url(offset: int) -> str:
    """This page's URL at another offset (the pager)."""
    args = MultiDict(page_args())
    args["offset"] = str(offset)
    return with_args(request.endpoint, args, **request.view_args)


def passage_link(hit) -> str:
    """A hit's passage in its report; from the results it carries the search, so the report page
    marks the query's words and leads back to the same results."""
    args = page_args() if request.endpoint == "pages.results" else MultiDict()
    return with_args("pages.document", args, doc_id=hit.doc["id"]) + f"#p-{hit.id}"


def filter_chips(params) -> list[tuple[str, str]]:
    """The filters in force as (label, URL without it); a year range is one chip."""
    chips = []
    for name in (*FACETS, "doc_id"):
        value = page_args().get(name, "").strip()
        if value:
            chips.append((f"{FACET_LABELS[name]}: {facet_value_label(name, value)}", url_with(**{name: None})))
    if params is not None and (params.year_from or params.year_to):
        years = f"{params.year_from or '…'}–{params.year_to or '…'}"
        chips.append((f"Årtal: {years}", url_with(year_from=None, year_to=None)))
    return chips


@pages.get("/")
def home():
    docs = documents_data()
    namnder = sorted({d["document"]["namnd"] or d["document"]["organisation"] or "" for d in docs} - {""})
    years = sorted({d["document"]["year"] for d in docs if d["document"]["year"]})
    # Newest first; a report whose year could not be read (None) goes last, not into a TypeError.
    docs = sorted(docs, key=lambda d: (d["document"]["year"] is None, -(d["document"]["year"] or 0), d["id"]))
    return render_template("home.html", docs=docs, namnder=namnder, years=years)


@pages.get("/sok")
def results():
    if not request.args.get("q", "").strip():
        return home()
    params, result, reply, errors, args = None, None, None, [], MultiDict(request.args)
    while result is None:
        try:
            found = results_data(args)
            params, result, reply = found.params, found.result, found.reply
        except QueryError as exc:
            # Said in Swedish above the form; the search runs again without the bad argument.
            errors.append(exc.label() + ".")
            if exc.param == "q":
                break
            args.pop(exc.param)
            g.searched = args
    pages_total = min((result.total + params.limit - 1) // params.limit, MAX_OFFSET // params.limit + 1) if result else 0
    page = params.offset // params.limit + 1 if params else 1
    return render_template("results.html", result=result, params=params, q=request.args.get("q", "").strip(),
                           facets=FACETS, page=page, pages_total=pages_total, pager=pager(page, pages_total),
                           page_url=page_url, page_sizes=PAGE_SIZES, per_report=result.per_report if result else {}, reply=reply, errors=errors, swapped=reversed_years(request.args),
                           chips=filter_chips(params), asked=result is not None and is_question(params.q)
                           and params.offset == 0, marked=marked, list_lead=list_lead), 400 if errors else 200


def pager(page: int, last: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and two either side of this one; None
    stands for the pages left out between them."""
    shown = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def list_lead(answer) -> str:
    """A list answer's text before its items ("4 aktiviteter med avvikelse (…)"): the page lists
    the items themselves, each with its source."""
    return answer.text.partition(f": {answer.items[0].text}")[0]


def marked(answer) -> Markup:
    """The answer sentence, escaped, with its value in <mark>."""
    text = escape(answer.text)
    if answer.value:
        value = escape(answer.value)
        text = Markup(str(text).replace(str(value), f"<mark>{value}</mark>", 1))
    return text


@pages.get("/sok.atom")
def feed():
    """The same search, newest reports first, as an Atom feed a reader can follow."""
    args = MultiDict(request.args)
    args["sort"], args["offset"] = "date", "0"
    args.pop("limit", None)
    params, result = search_data(args)
    base = absolute("")
    updated = max((entry_date(h.doc) for h in result.hits), default="1970-01-01T00:00:00Z")
    body = render_template("feed.xml", params=params, hits=result.hits, base=base, entry_date=entry_date,
                           updated=updated, self_url=base + with_args("pages.feed"),
                           results_url=base + with_args("pages.results", args))
    return current_app.response_class(body, mimetype="application/atom+xml")


def entry_date(doc: dict) -> str:
    """An RFC 3339 date for a report: its own date when known, else the start of its year."""
    date = str(doc.get("date") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return f"{date}T00:00:00Z"
    return f"{doc.get('year') or 1970}-01-01T00:00:00Z"


# --- a report ---------------------------------------------------------------------------

def goal_key(g: dict) -> tuple:
    return g["level"], g.get("number"), g["title"]


def running_text(passages: list[dict], goals: list[dict]) -> tuple[list[dict], dict[int, str]]:
    """The passages with the goal headings that open where the goal path changes, and each goal's
    anchor (its first heading), which the goal tree links to. A goal's own passage is drawn as its
    heading, with the passage's anchor (`p-<id>`), so a link to the goal lands on it."""
    index = {goal_key(g): i for i, g in enumerate(goals)}
    previous: list = []
    anchors: dict[int, str] = {}
    out = []
    for p in passages:
        path = [goal_key(goal) for goal in p.get("goal_path") or []]
        own = p["kind"] == "goal"
        opened = []
        for depth, goal in enumerate(p.get("goal_path") or []):
            itself = own and depth == len(path) - 1
            if itself or path[:depth + 1] != previous[:depth + 1]:
                i = index.get(path[depth])
                anchor = f"p-{p['id']}" if itself else f"mal-{i}" if i is not None and i not in anchors else None
                if anchor and i is not None:
                    anchors.setdefault(i, anchor)
                opened.append({"depth": depth, "goal": goal, "anchor": anchor, "passage": p if itself else None})
        previous = path
        out.append({"passage": None if own else p, "opened": opened})
    return out, anchors


def place(p: dict) -> str:
    """Where a passage stands, in words: its kind, goal and page or line (an anchor's name)."""
    parts = [KIND_LABELS.get(p["kind"], p["kind"])]
    if p.get("goal_path"):
        g = p["goal_path"][-1]
        parts.append(f"under mål {g['number']}" if g.get("number") else f"under {g['title'][:60]}")
    if p.get("page"):
        parts.append(f"sidan {p.get('page_label') or p['page']}")
    elif p.get("lines"):
        first, last = p["lines"]
        parts.append(f"rad {first}–{last}" if last > first else f"rad {first}")
    return ", ".join(parts)


@pages.get("/dokument/<doc_id>")
def document(doc_id: str):
    data = document_data(doc_id)
    if data is None:
        abort(404)
    record = data["record"]
    q = request.args.get("q", "").strip()[:500]
    items, anchors = running_text(data["passages"], record["goals"])
    return render_template("document.html", record=record, doc=record["document"], goals=record["goals"],
                           children=data["children"], items=items, anchors=anchors, q=q, mark=highlighter(q, data["analysis"]),
                           place=place)


@pages.get("/dokument/<doc_id>/original")
def original(doc_id: str):
    record = holder().document(doc_id)
    if record is None or not Path(record["source"]).is_file():
        abort(404)
    # The path comes from the index's own record, never from the request. A PDF is shown inline,
    # so a link ending in #page=N opens the browser's PDF viewer at that page.
    pdf = record["source"].lower().endswith(".pdf")
    return send_file(record["source"], as_attachment=not pdf, download_name=record["name"])


@pages.get("/liknande/<passage_id>")
def similar(passage_id: str):
    chosen = passage_data(passage_id)
    if chosen is None:
        abort(404)
    return render_template("similar.html", hits=similar_data(passage_id), chosen=chosen)


@pages.get("/favicon.ico")
def favicon():
    return current_app.send_static_file("favicon.svg")


@pages.get("/tillganglighet")
def accessibility():
    return render_template("accessibility.html")


# --- across years -------------------------------------------------------------------------

HISTORY_PAGES = {"activities": ("Aktiviteter över åren", "aktiviteter"),
                 "indicators": ("Indikatorer över åren", "indikatorer"), "goals": ("Mål över åren", "mal")}


def history_page(what: str):
    title, _ = HISTORY_PAGES[what]
    args = MultiDict(request.args)
    args.setdefault("limit", str(HISTORY_LIMIT))
    error, total, groups, limit, offset = None, 0, [], HISTORY_LIMIT, 0
    try:
        total, groups = history_data(what, args)
        limit, offset = int(args["limit"]), int(args.get("offset") or 0)  # history_data checked them
    except QueryError as exc:
        error = exc.label() + "."
    return (render_template("history.html", what=what, title=title, groups=groups, total=total, error=error,
                           query=request.args.get("q", ""), chart=chart_svg, limit=limit, offset=offset),
            400 if error else 200)


for _what, (_title, _path) in HISTORY_PAGES.items():
    pages.add_url_rule(f"/{_path}", _what, partial(history_page, _what))


def history_link(passage_id: str) -> str | None:
    """From an activity, indicator or goal to its history across the reports: only where it stands
    in two reports or more (a history of one report leads nowhere). A damaged record costs the
    links, never the hits: the search reads no record."""
    try:
        found = holder().linked().histories.get(passage_id)
    except IndexDamaged:
        return None
    if found is None:
        return None
    what, label = found
    return url_for(f"pages.{what}", q=label[:500])
