"""One data function per resource: each feeds the HTML page, the JSON and the CSV of that
resource, so the three always show the same thing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import url_for

from indexer import (
    ANSWER_DEPTH,
    Group,
    Reply,
    SearchParams,
    SearchResult,
    ask,
    more_like_this,
    read_question,
    search,
    select,
)

from .params import ParamError, bool_arg, export_limit, int_arg, search_params
from .state import holder



def passage_url(doc_id: str, passage_id: str | None, external: bool = False) -> str:
    return url_for("pages.document", doc_id=doc_id, _anchor=f"p-{passage_id}" if passage_id else None,
                   _external=external)


def hit_json(hit) -> dict:
    data = hit.to_dict()
    data["doc"].pop("source", None)  # a server path is nobody's business
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
    limit = export_limit(args)
    one_page = args.copy()
    one_page.pop("limit", None)
    params = replace(search_params(one_page), limit=limit, offset=0, export=True)
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
    """A report's record with its passages (goals are drawn from the goal tree) and the tree."""
    record = holder().document(doc_id)
    if record is None:
        return None
    children: dict = {}
    for i, g in enumerate(record["goals"]):
        children.setdefault(g["parent"], []).append(i)
    passages = [p for p in holder().passages(doc_id) if p["kind"] != "goal"]
    return {"record": record, "passages": passages, "children": children}


# --- across years ---------------------------------------------------------------------

def _occurrence_url(passage_ids: dict, doc: dict, kind: str, line: int | None) -> str:
    return passage_url(doc["id"], passage_ids.get((doc["id"], kind, line)))


def activity_json(passage_ids: dict, group: Group) -> dict:
    return {"text": group.label, "occurrences": [
        {"doc": o.doc, "start": o.item.get("start"), "end": o.item.get("end"),
         "deviation": bool(o.item.get("deviation")), "comment": o.item.get("comment"), "goal": o.goal,
         "url": _occurrence_url(passage_ids, o.doc, "activity", o.item.get("line"))} for o in group.occurrences]}


def indicator_json(passage_ids: dict, group: Group) -> dict:
    fields = ("period", "outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target",
              "comment", "values", "numbers")
    return {"name": group.label, "occurrences": [
        {"doc": o.doc, **{f: o.item.get(f) for f in fields}, "goal": o.goal,
         "url": _occurrence_url(passage_ids, o.doc, "indicator", o.item.get("line"))} for o in group.occurrences]}


def goal_json(passage_ids: dict, group: Group) -> dict:
    first = group.occurrences[0].item
    return {"title": group.label, "level": first["level"], "occurrences": [
        {"doc": o.doc, "number": o.item.get("number") or o.item.get("summary_number"),
         "status": o.item.get("status") or o.item.get("summary_status"),
         "url": _occurrence_url(passage_ids, o.doc, "goal", o.item.get("line"))} for o in group.occurrences]}


RENDER = {"activities": activity_json, "indicators": indicator_json, "goals": goal_json}


def history_data(what: str, args) -> tuple[int, list[dict]]:
    """(number of groups, the groups of this page) for activities, indicators or goals."""
    q = args.get("q", "").strip()
    if len(q) > 500:
        raise ParamError("q", "är längre än 500 tecken")
    limit = int_arg(args, "limit", 50)
    offset = int_arg(args, "offset", 0)
    if not 1 <= limit <= 500:
        raise ParamError("limit", "måste vara mellan 1 och 500")
    if offset < 0:
        raise ParamError("offset", "får inte vara negativ")
    linked = holder().linked()
    groups = select(getattr(linked.history, what), q or None, args.get("namnd") or None, int_arg(args, "year", None),
                    bool_arg(args, "deviation"))
    return len(groups), [RENDER[what](linked.passage_ids, g) for g in groups[offset:offset + limit]]
