"""The JSON API. Every answer is {"ok": true, ...} or {"ok": false, "error": "...", "status": N}."""

from __future__ import annotations

import csv
import io
from functools import partial

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from indexer.answers import ask
from indexer.index import IndexMissing
from indexer.search import QueryError, SearchResult, more_like_this, search

from .history_views import view
from .openapi import spec
from .params import export_limit, search_params

api = Blueprint("api", __name__)


def ok(**data):
    return jsonify({"ok": True, **data})


def fail(message: str, status: int):
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    return response


def holder():
    return current_app.extensions["rapportsok.index"]


def hit_json(hit) -> dict:
    data = hit.to_dict()
    data["doc"].pop("source", None)  # a server path is nobody's business
    data["url"] = url_for("pages.document", doc_id=hit.doc["id"], _anchor=f"p-{hit.id}")
    return data


def result_json(result: SearchResult) -> dict:
    return {"query": result.query, "total": result.total, "hits": [hit_json(h) for h in result.hits],
            "facets": {name: [{"value": v, "count": n} for v, n in values] for name, values in result.facets.items()},
            "suggestion": result.suggestion}


def run_search(args, max_limit: int = 100) -> SearchResult:
    params = search_params(args, max_limit)
    with holder().searcher() as s:
        return search(s, params)


def export_hits(args) -> list:
    """All hits up to the export limit, page by page, filters applied."""
    limit = export_limit(args)
    hits = []
    page = args.copy()
    page["limit"] = "100"
    with holder().searcher() as s:
        while len(hits) < limit:
            page["offset"] = str(len(hits))
            found = search(s, search_params(page)).hits
            hits.extend(found)
            if len(found) < 100:
                break
    return hits[:limit]


@api.get("/search")
def search_api():
    return ok(**result_json(run_search(request.args)))


@api.get("/search.csv")
def search_csv():
    hits = export_hits(request.args)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "nämnd", "år", "rapport", "period", "avsnitt", "rubrik", "mål", "sida", "rader", "text",
                     "url"])
    for h in hits:
        goal = " › ".join(f"{g['number'] or ''} {g['title']}".strip() for g in h.section["goal_path"])
        writer.writerow([h.id, h.doc["namnd"], h.doc["year"], h.doc["title"], h.doc["period"], h.section["kind"],
                         h.section["heading"] or "", goal, h.page or "", "-".join(map(str, h.lines)), h.text,
                         url_for("pages.document", doc_id=h.doc["id"], _anchor=f"p-{h.id}", _external=True)])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=rapportsok.csv"})


@api.get("/search.json")
def search_export_json():
    hits = export_hits(request.args)
    response = ok(query=request.args.get("q", ""), total=len(hits), hits=[hit_json(h) for h in hits])
    response.headers["Content-Disposition"] = "attachment; filename=rapportsok.json"
    return response


@api.get("/ask")
def ask_api():
    params = search_params(request.args)
    with holder().searcher() as s:
        answer, sources = ask(s, params.q, limit=params.limit)
    data = None
    if answer is not None:
        data = answer.to_dict()
        data["source"] = hit_json(answer.source)
    return ok(query=params.q, answer=data, sources=[hit_json(h) for h in sources])


@api.get("/similar/<passage_id>")
def similar(passage_id: str):
    with holder().searcher() as s:
        try:
            hits = more_like_this(s, passage_id)
        except KeyError:
            return fail(f"no passage {passage_id!r}", 404)
    return ok(id=passage_id, hits=[hit_json(h) for h in hits])


def document_summary(record: dict) -> dict:
    d = record["document"]
    return {"id": record["id"], "name": record["name"], "passages": record["passages"],
            "url": url_for("pages.document", doc_id=record["id"]),
            **{k: d.get(k) for k in ("title", "namnd", "organisation", "year", "report_type", "period", "dnr", "date",
                                     "pages", "kind")}}


@api.get("/documents")
def documents():
    return ok(documents=[document_summary(r) for r in holder().documents()])


@api.get("/documents/<doc_id>")
def document(doc_id: str):
    record = holder().document(doc_id)
    if record is None:
        return fail(f"no document {doc_id!r}", 404)
    record = {k: v for k, v in record.items() if k != "source"}
    record["document"] = {k: v for k, v in record["document"].items() if k != "path"}
    return ok(**record, url=url_for("pages.document", doc_id=doc_id))


def history_api(what: str):
    total, groups = view(holder(), what, request.args)
    return ok(total=total, **{what: groups})


def history_csv(what: str, rows) -> Response:
    total, groups = view(holder(), what, request.args)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(groups):
        writer.writerow(row)
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=rapportsok-{what}.csv"})


def _doc_cells(o: dict) -> list:
    return [o["doc"]["namnd"], o["doc"]["year"], o["doc"]["period"], o["doc"]["title"]]


for _what in ("activities", "indicators", "goals"):
    api.add_url_rule(f"/{_what}", _what, partial(history_api, _what))


@api.get("/activities.csv")
def activities_csv():
    return history_csv("activities", lambda groups: [["aktivitet", "nämnd", "år", "period", "rapport", "start",
                                                      "slut", "avvikelse", "kommentar", "url"]] + [
        [g["text"], *_doc_cells(o), o["start"], o["end"], "ja" if o["deviation"] else "nej", o["comment"] or "",
         o["url"]] for g in groups for o in g["occurrences"]])


@api.get("/indicators.csv")
def indicators_csv():
    return history_csv("indicators", lambda groups: [["indikator", "nämnd", "år", "period", "rapport", "utfall",
                                                      "prognos", "årsmål", "KF:s årsmål", "värden", "url"]] + [
        [g["name"], *_doc_cells(o), o["outcome"] or "", o["forecast"] or "", o["target"] or "", o["kf_target"] or "",
         " | ".join(o["values"] or []), o["url"]] for g in groups for o in g["occurrences"]])


@api.get("/goals.csv")
def goals_csv():
    return history_csv("goals", lambda groups: [["mål", "nivå", "nämnd", "år", "period", "rapport", "nummer",
                                                 "status", "url"]] + [
        [g["title"], g["level"], *_doc_cells(o), o["number"] or "", o["status"] or "", o["url"]]
        for g in groups for o in g["occurrences"]])


@api.get("/openapi.json")
def openapi():
    return jsonify(spec())


@api.errorhandler(QueryError)
def bad_request(exc: QueryError):
    return fail(str(exc), 400)


@api.errorhandler(IndexMissing)
def no_index(exc: IndexMissing):
    return fail(str(exc), 503)


@api.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return fail(exc.description or exc.name, exc.code or 500)


@api.errorhandler(Exception)
def unexpected(exc: Exception):
    current_app.logger.exception("unexpected error in the API")
    return fail("internal error", 500)
