"""Across-years views as plain data for the API and the pages: groups with their occurrences,
each occurrence linking to its passage."""

from __future__ import annotations

from flask import url_for

from indexer.history import Group, select
from indexer.search import QueryError

from .params import bool_arg, int_arg

KINDS = {"activities": "activity", "indicators": "indicator", "goals": "goal"}


def _url(holder, doc: dict, kind: str, line: int | None) -> str:
    passage = holder.passage_id(doc["id"], kind, line)
    anchor = f"p-{passage}" if passage else None
    return url_for("pages.document", doc_id=doc["id"], _anchor=anchor)


def activity_json(holder, group: Group) -> dict:
    return {"text": group.label, "occurrences": [
        {"doc": o.doc, "start": o.item.get("start"), "end": o.item.get("end"),
         "deviation": bool(o.item.get("deviation")), "comment": o.item.get("comment"), "goal": o.goal,
         "url": _url(holder, o.doc, "activity", o.item.get("line"))} for o in group.occurrences]}


def indicator_json(holder, group: Group) -> dict:
    fields = ("period", "outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target",
              "comment", "values", "numbers")
    return {"name": group.label, "occurrences": [
        {"doc": o.doc, **{f: o.item.get(f) for f in fields}, "goal": o.goal,
         "url": _url(holder, o.doc, "indicator", o.item.get("line"))} for o in group.occurrences]}


def goal_json(holder, group: Group) -> dict:
    first = group.occurrences[0].item
    return {"title": group.label, "level": first["level"], "occurrences": [
        {"doc": o.doc, "number": o.item.get("number") or o.item.get("summary_number"),
         "status": o.item.get("status") or o.item.get("summary_status"),
         "url": _url(holder, o.doc, "goal", o.item.get("line"))} for o in group.occurrences]}


RENDER = {"activities": activity_json, "indicators": indicator_json, "goals": goal_json}


def view(holder, what: str, args) -> tuple[int, list[dict]]:
    """(number of groups, the groups of this page) for activities, indicators or goals."""
    q = args.get("q", "").strip()
    if len(q) > 500:
        raise QueryError("q is longer than 500 characters")
    limit = int_arg(args, "limit", 50)
    offset = int_arg(args, "offset", 0)
    if not 1 <= limit <= 500 or offset < 0:
        raise QueryError("limit must be between 1 and 500 and offset not negative")
    history = holder.history()
    groups = select(getattr(history, what), q or None, args.get("namnd") or None, int_arg(args, "year", None),
                    bool_arg(args, "deviation"))
    return len(groups), [RENDER[what](holder, g) for g in groups[offset:offset + limit]]
