"""Exports: a search's hits and the cross-year views as CSV and JSON files, from the same data
functions as the pages and the API."""

from __future__ import annotations

import csv
import io
from functools import partial

from flask import Blueprint, Response, request

from .api import ok
from .data import export_data, history_data, hit_json, passage_url

exports = Blueprint("exports", __name__)


def csv_response(rows: list[list], filename: str) -> Response:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def goal_path_text(goal_path: list[dict]) -> str:
    return " › ".join(f"{g['number'] or ''} {g['title']}".strip() for g in goal_path)


@exports.get("/search.csv")
def search_csv():
    rows = [["id", "nämnd", "år", "rapport", "period", "avsnitt", "rubrik", "mål", "sida", "rader", "text", "url"]]
    for h in export_data(request.args):
        rows.append([h.id, h.doc["namnd"], h.doc["year"], h.doc["title"], h.doc["period"], h.section["kind"],
                     h.section["heading"] or "", goal_path_text(h.section["goal_path"]), h.page or "",
                     "-".join(map(str, h.lines)), h.text, passage_url(h.doc["id"], h.id, external=True)])
    return csv_response(rows, "rapportsok.csv")


@exports.get("/search.json")
def search_json():
    hits = export_data(request.args)
    response = ok(query=request.args.get("q", ""), total=len(hits), hits=[hit_json(h) for h in hits])
    response.headers["Content-Disposition"] = "attachment; filename=rapportsok.json"
    return response


def _doc_cells(o: dict) -> list:
    return [o["doc"]["namnd"], o["doc"]["year"], o["doc"]["period"], o["doc"]["title"]]


HISTORY_ROWS = {
    "activities": (["aktivitet", "nämnd", "år", "period", "rapport", "start", "slut", "avvikelse", "kommentar", "url"],
                   lambda g, o: [g["text"], *_doc_cells(o), o["start"], o["end"], "ja" if o["deviation"] else "nej",
                                 o["comment"] or "", o["url"]]),
    "indicators": (["indikator", "nämnd", "år", "period", "rapport", "utfall", "prognos", "årsmål", "KF:s årsmål",
                    "värden", "url"],
                   lambda g, o: [g["name"], *_doc_cells(o), o["outcome"] or "", o["forecast"] or "", o["target"] or "",
                                 o["kf_target"] or "", " | ".join(o["values"] or []), o["url"]]),
    "goals": (["mål", "nivå", "nämnd", "år", "period", "rapport", "nummer", "status", "url"],
              lambda g, o: [g["title"], g["level"], *_doc_cells(o), o["number"] or "", o["status"] or "", o["url"]]),
}


def history_csv(what: str):
    header, row = HISTORY_ROWS[what]
    _, groups = history_data(what, request.args)
    return csv_response([header] + [row(g, o) for g in groups for o in g["occurrences"]], f"rapportsok-{what}.csv")


for _what in HISTORY_ROWS:
    exports.add_url_rule(f"/{_what}.csv", f"{_what}_csv", partial(history_csv, _what))
