"""One data function per resource: each feeds the HTML page, the JSON and the CSV of that
resource, so the three always show the same thing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app, g, request, url_for

from indexer import (
    ANSWER_DEPTH,
    HISTORY_PARAMS,
    Group,
    Occurrence,
    Reply,
    SearchParams,
    SearchResult,
    ask,
    more_like_this,
    read_args,
    read_question,
    search,
    select,
)

from .params import export_params, search_params
from .state import Linked, holder


def absolute(path: str) -> str:
    """An absolute link for exports and feeds (the base from create_app; per request only behind
    proxies the config trusts, whose X-Forwarded-* headers ProxyFix has applied)."""
    return (current_app.config["BASE_URL"] or request.host_url.rstrip("/")) + path


def passage_url(doc_id: str, passage_id: str | None, external: bool = False) -> str:
    return url_for("pages.document", doc_id=doc_id, _anchor=f"p-{passage_id}" if passage_id else None,
                   _external=external)


def report_date(doc_id: str) -> str | None:
    """A report's date as its record gives it ("2020-05-20"), read once per request."""
    if "report_dates" not in g:
        g.report_dates = {r["id"]: r["document"].get("date") for r in documents_data()}
    return g.report_dates.get(doc_id)


def hit_json(hit) -> dict:
    data = hit.to_dict()
    data["doc"].pop("source", None)  # a server path is nobody's business
    data["doc"]["date"] = report_date(hit.doc["id"])
    data["url"] = passage_url(hit.doc["id"], hit.id)
    return data


# --- search and ask ---------------------------------------------------------------

def search_data(args) -> tuple[SearchParams, SearchResult]:
    params = search_params(args)
    with holder().searcher() as s:
        return params, search(s, params)


@dataclass
class Results:
    """The results page: a page of hits and, for a question on the first page, its answer."""

    params: SearchParams
    result: SearchResult
    reply: Reply | None


def results_data(args) -> Results:
    """One search serves the hits and the answer: a question on the first page is read once and
    searched as deep as the answer looks (ANSWER_DEPTH), and the page shows its first `limit` hits
    (and the nearest passages only when no hit is left for a next page)."""
    params = search_params(args)
    with holder().searcher() as s:
        question = read_question(s, params.q)
        if not (question.asks and params.offset == 0):
            return Results(params, search(s, params, question=question), None)
        result = search(s, replace(params, limit=max(params.limit, ANSWER_DEPTH)), question=question)
        reply = ask(s, question, result=result, **params.filters())
    last_page = params.limit >= result.total
    shown = replace(result, hits=result.hits[:params.limit], nearest=result.nearest if last_page else [])
    return Results(params, shown, reply)


def export_data(args) -> list:
    """All hits up to the export limit, filters applied, in one pass (no highlighting)."""
    params = export_params(args)
    with holder().searcher() as s:
        return search(s, params).hits


@dataclass
class Asked:
    params: SearchParams
    reply: Reply


def ask_data(args) -> Asked:
    """The answer to the question in `q`, with the same filters a search takes."""
    params = search_params(args)
    with holder().searcher() as s:
        return Asked(params, ask(s, params.q, limit=params.limit, **params.filters()))


def similar_data(passage_id: str) -> list:
    with holder().searcher() as s:
        return more_like_this(s, passage_id)


def passage_data(passage_id: str) -> dict | None:
    """One passage's stored fields (its document, kind, text), or None."""
    with holder().searcher() as s:
        found = s.document(id=passage_id)
    return found.to_dict() if found else None


# --- reports ------------------------------------------------------------------------

def documents_data() -> list[dict]:
    return holder().documents()


def document_data(doc_id: str) -> dict | None:
    """A report's record with its passages, its goal tree and the index's analysis."""
    record = holder().document(doc_id)
    if record is None:
        return None
    children: dict = {}
    for i, goal in enumerate(record["goals"]):
        children.setdefault(goal["parent"], []).append(i)
    with holder().searcher() as s:  # the index's own analysis marks the query's words
        analysis = s.analysis()
    return {"record": record, "passages": holder().passages(doc_id), "children": children, "analysis": analysis}


# --- across years ---------------------------------------------------------------------

def _occurrence_url(linked: Linked, o: Occurrence, kind: str) -> str:
    return passage_url(o.doc["id"], linked.passage_of(o, kind))


def activity_json(linked: Linked, group: Group) -> dict:
    return {"text": group.label, "occurrences": [
        {"doc": o.doc, "start": o.item.get("start"), "end": o.item.get("end"),
         "deviation": bool(o.item.get("deviation")), "comment": o.item.get("comment"), "goal": o.goal,
         "url": _occurrence_url(linked, o, "activity")} for o in group.occurrences]}


def indicator_json(linked: Linked, group: Group) -> dict:
    fields = ("period", "outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target",
              "comment", "values", "numbers")
    return {"name": group.label, "occurrences": [
        {"doc": o.doc, **{f: o.item.get(f) for f in fields}, "goal": o.goal,
         "url": _occurrence_url(linked, o, "indicator")} for o in group.occurrences]}


def goal_json(linked: Linked, group: Group) -> dict:
    first = group.occurrences[0].item
    return {"title": group.label, "level": first["level"], "occurrences": [
        {"doc": o.doc, "number": o.item.get("number") or o.item.get("summary_number"),
         "status": o.item.get("status") or o.item.get("summary_status"),
         "url": _occurrence_url(linked, o, "goal")} for o in group.occurrences]}


RENDER = {"activities": activity_json, "indicators": indicator_json, "goals": goal_json}


def history_data(what: str, args) -> tuple[int, list[dict]]:
    """(number of groups, the groups of this page) for activities, indicators or goals."""
    values = read_args(HISTORY_PARAMS[what], args)
    limit, offset = values.pop("limit"), values.pop("offset")
    linked = holder().linked()
    groups = select(getattr(linked.history, what), **values)
    return len(groups), [RENDER[what](linked, g) for g in groups[offset:offset + limit]]
