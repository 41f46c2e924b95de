"""A machine-readable description of the API (OpenAPI 3.1)."""

from __future__ import annotations

from indexer import ASK_PARAMS, DOCUMENT_PARAMS, EXPORT_PARAMS, HISTORY_PARAMS, SEARCH_PARAMS, Param


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def described(params: dict[str, Param]) -> list[dict]:
    return [p.openapi() for p in params.values()]


SEARCH = described(SEARCH_PARAMS)
EXPORT = described(EXPORT_PARAMS)
HISTORY = {what: described(params) for what, params in HISTORY_PARAMS.items()}
# A view's export holds every group that matches, not a page of them.
HISTORY_EXPORT = {what: [p for p in params if p["name"] not in ("limit", "offset")] for what, params in HISTORY.items()}
# A report's lists, paged alike by /api/documents/{id}.
DOCUMENT_PARTS = ("goals", "activities", "indicators", "decisions", "sections")

ERROR = {"type": "object", "required": ["ok", "error", "status"],
         "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}}}
GOAL_REF = {"type": "object", "properties": {"level": {"type": "string"}, "number": {"type": ["string", "null"]},
                                             "title": {"type": "string"}, "status": {"type": ["string", "null"]}}}
HIT = {"type": "object", "required": ["id", "text", "snippet", "score", "doc", "section", "page", "url"],
       "properties": {
           "id": {"type": "string"}, "text": {"type": "string"},
           "snippet": {"type": "string", "description": "HTML: escaped text, matches in <mark>"},
           "score": {"type": "number"},
           "doc": {"type": "object", "properties": {k: {"type": ["string", "integer", "null"]} for k in
                                                    ("id", "title", "namnd", "year", "report_type", "period", "date")}},
           "section": {"type": "object", "properties": {"kind": {"type": "string"},
                                                        "heading": {"type": ["string", "null"]},
                                                        "goal_path": {"type": "array", "items": GOAL_REF}}},
           "page": {"type": ["integer", "null"], "description": "physical page of a PDF, 1-based"},
           "page_label": {"type": ["string", "null"], "description": "the page as printed"},
           "ocr": {"type": "boolean", "description": "read by OCR from a scanned page"}, "lines": {"type": "array", "items": {"type": "integer"}},
           "amounts": {"type": "array", "items": {"type": "number"}}, "deviation": {"type": ["boolean", "null"]},
           "missing": {"type": "array", "items": {"type": "string"},
                       "description": "query words the passage lacks (a question's predicate words, or a nearest passage)"},
           "url": {"type": "string"}}}

# An answer: a sentence (at most 400 characters) with its value marked, or for "Vilka mål …"
# a list whose items each cite their passage; `about` says which report a nearest fact is from.
ANSWER = {"type": ["object", "null"], "properties": {
    "text": {"type": "string"}, "value": {"type": ["string", "null"]}, "type": {"type": ["string", "null"]},
    "confidence": {"type": "number"}, "source": HIT, "about": {"type": ["string", "null"]},
    "items": {"type": "array", "items": {"type": "object"}}}}


def _answer(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    return {str(code): _answer(ERROR, "error") for code in codes}


def spec() -> dict:
    ok = {"ok": {"const": True}}
    search_ok = {"type": "object", "properties": {
        **ok, "total": {"type": "integer", "description": "the hits a user can page through"},
        "hits": {"type": "array", "items": HIT},
        "nearest": {"type": "array", "items": HIT, "description": "after the last hit (of a question, or when no "
                    "passage holds every word): passages holding some of the words, each naming those it lacks"},
        "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {
            "type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}}},
        "suggestion": {"type": ["string", "null"]},
        "per_report": {"type": "object", "additionalProperties": {"type": "integer"},
                       "description": "hits in each report of this page's hits, by report id"},
        "operator_hint": {"type": ["string", "null"], "description": "the query with its lowercase eller/or/and/not "
                          "as an operator, which the page offers"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Rapportsök API", "version": "1",
                 "description": "Search the City of Stockholm's follow-up reports."},
        "paths": {
            "/api/search": {"get": {"summary": "Search passages", "parameters": SEARCH,
                                    "responses": {"200": _answer(search_ok, "ranked passages"),
                                                  **_errors(400, 503)}}},
            "/api/search.csv": {"get": {"summary": "Export the results as CSV (filters applied, up to 1000)",
                                        "parameters": EXPORT,
                                        "responses": {"200": {"description": "CSV",
                                                              "content": {"text/csv": {}}}, **_errors(400, 503)}}},
            "/api/search.xlsx": {"get": {"summary": "Export the results as an Excel file (filters applied, up to 1000)",
                                         "parameters": EXPORT,
                                         "responses": {"200": {"description": "Excel", "content": {XLSX: {}}},
                                                       **_errors(400, 503)}}},
            "/api/search.json": {"get": {"summary": "Export the results as JSON (filters applied, up to 1000)",
                                         "parameters": EXPORT,
                                         "responses": {"200": _answer(search_ok, "hits"), **_errors(400, 503)}}},
            "/api/ask": {"get": {"summary": "Answer a Swedish question with a cited sentence",
                                 "parameters": described(ASK_PARAMS),
                                 "responses": {"200": _answer({"type": "object", "properties": {
                                     **ok, "answer": ANSWER, "nearest": ANSWER,
                                     "note": {"type": ["string", "null"], "description": "why no answer is given, "
                                              "and what the reports cover, in Swedish"},
                                     "sources": {"type": "array", "items": HIT}}},
                                     "the answer or null; when null, a note and the nearest fact about another "
                                     "period or place"),
                                     **_errors(400, 503)}}},
            "/api/similar/{id}": {"get": {"summary": "Passages like this one", "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _answer({"type": "object"}, "similar passages"), **_errors(404, 503)}}},
            **{f"/api/{what}": {"get": {"summary": f"{label} linked across reports and years, each occurrence "
                                                   "with its report, values and a link to its passage",
                                        "parameters": HISTORY[what],
                                        "responses": {"200": _answer({"type": "object"}, label.lower()),
                                                      **_errors(400, 503)}}}
               for what, label in (("activities", "Activities"), ("indicators", "Indicators"), ("goals", "Goals"))},
            **{f"/api/{what}.csv": {"get": {"summary": f"Export of the {what} view as CSV",
                                            "parameters": HISTORY_EXPORT[what],
                                            "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}},
                                                          **_errors(400, 503)}}}
               for what in ("activities", "indicators", "goals")},
            **{f"/api/{what}.xlsx": {"get": {"summary": f"Export of the {what} view as an Excel file",
                                             "parameters": HISTORY_EXPORT[what],
                                             "responses": {"200": {"description": "Excel", "content": {XLSX: {}}},
                                                           **_errors(400, 503)}}}
               for what in ("activities", "indicators", "goals")},
            "/api/documents": {"get": {"summary": "The indexed reports",
                                       "responses": {"200": _answer({"type": "object"}, "documents"), **_errors(503)}}},
            "/api/documents/{id}": {"get": {"summary": "A report's metadata and a page of its goals, activities, "
                                                       "indicators, decisions and sections", "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}, *described(DOCUMENT_PARAMS)],
                "responses": {"200": _answer({"type": "object", "required": ["ok", "document", "totals", "limit",
                                                                             "offset"], "properties": {
                    **ok, "document": {"type": "object"},
                    **{part: {"type": "array", "items": {"type": "object"}} for part in DOCUMENT_PARTS},
                    "totals": {"type": "object", "description": "the length of each whole list",
                               "properties": {part: {"type": "integer"} for part in DOCUMENT_PARTS}},
                    "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
                    "the report; `parent` and `goal` index the whole report's lists"), **_errors(400, 404, 503)}}},
        },
    }
