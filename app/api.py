"""The JSON API. Every answer is {"ok": true, ...} or {"ok": false, "error": "...", "status": N}
(errors from app/errors.py)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, jsonify, request, url_for
from werkzeug.exceptions import NotFound

from indexer import DOCUMENT_PARAMS, SearchResult, read_args

from .data import (ask_data, document_data, documents_data, history_data, hit_json, passage_data, search_data,
                   similar_data)
from .openapi import DOCUMENT_PARTS, spec

api = Blueprint("api", __name__)


def ok(**data):
    return jsonify({"ok": True, **data})


def result_json(result: SearchResult) -> dict:
    # The nearest passages follow the hits as on the results page, each naming the words it lacks:
    # a client never gets nothing where the page shows passages. `total` counts the hits alone.
    return {"query": result.query, "total": result.total, "hits": [hit_json(h) for h in result.hits],
            "nearest": [hit_json(h) for h in result.nearest],
            "facets": {name: [{"value": v, "count": n} for v, n in values] for name, values in result.facets.items()},
            "suggestion": result.suggestion, "operator_hint": result.operator_hint, "per_report": result.per_report}


@api.get("/search")
def search_api():
    _, result = search_data(request.args)
    return ok(**result_json(result))


def answer_json(answer) -> dict | None:
    """An answer with its source (and each list item's) as the API shows hits."""
    if answer is None:
        return None
    data = answer.to_dict()
    data["source"] = hit_json(answer.source)
    data["items"] = [answer_json(i) for i in answer.items]
    return data


@api.get("/ask")
def ask_api():
    asked = ask_data(request.args)
    reply = asked.reply
    return ok(query=asked.params.q, answer=answer_json(reply.answer), note=reply.note,
              nearest=answer_json(reply.nearest), sources=[hit_json(h) for h in reply.sources])


@api.get("/similar/<passage_id>")
def similar(passage_id: str):
    # Asked first, as the page does: an error raised while the index is read (more_like_this's
    # KeyError) would have the whole index read to tell damage from a bug.
    if passage_data(passage_id) is None:
        raise NotFound(f"Stycket {passage_id!r} finns inte.")
    return ok(id=passage_id, hits=[hit_json(h) for h in similar_data(passage_id)])


def document_summary(row: dict) -> dict:
    """A row of the report list (`indexer.report_list`) as the API gives it."""
    return {"id": row["id"], "name": row["name"], "passages": row["passages"],
            "url": url_for("pages.document", doc_id=row["id"]), **row["document"]}


@api.get("/documents")
def documents():
    return ok(documents=[document_summary(r) for r in documents_data()])


@api.get("/documents/<doc_id>")
def document(doc_id: str):
    """A report's record, a page of each of its lists at a time: a large report's whole record
    ran to tens of megabytes of JSON. Indexes into the lists (`parent`, `goal`) stay the whole
    report's."""
    limit, offset = read_args(DOCUMENT_PARAMS, request.args).values()
    data = document_data(doc_id)
    if data is None:
        raise NotFound(f"Rapporten {doc_id!r} finns inte.")
    record = {k: v for k, v in data["record"].items() if k != "source"}
    record["document"] = {k: v for k, v in record["document"].items() if k != "path"}
    totals = {part: len(record.get(part) or []) for part in DOCUMENT_PARTS}
    for part in DOCUMENT_PARTS:
        record[part] = (record.get(part) or [])[offset:offset + limit]
    return ok(**record, totals=totals, limit=limit, offset=offset, url=url_for("pages.document", doc_id=doc_id))


def history_api(what: str):
    total, groups = history_data(what, request.args)
    return ok(total=total, **{what: groups})


for _what in ("activities", "indicators", "goals"):
    api.add_url_rule(f"/{_what}", _what, partial(history_api, _what))


@api.get("/openapi.json")
def openapi():
    return jsonify(spec())
