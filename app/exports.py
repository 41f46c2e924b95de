"""Exports: a search's hits and the cross-year views as CSV (for Excel set to Swedish), Excel and
JSON files, from the same data functions as the pages and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from functools import partial

from flask import Blueprint, Response, request
from openpyxl import Workbook

from indexer import LEVEL_LABELS, STATUS_LABELS
from indexer.ingest.amounts import find_amounts, parse_value
from indexer.sentences import sentences

from .api import ok
from .data import absolute, export_data, history_data, hit_json, passage_url
from .labels import KIND_LABELS
from .openapi import XLSX

exports = Blueprint("exports", __name__)

# A text cell starting with one of these is read as a formula by spreadsheet programs (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_cell(value) -> str:
    """Swedish Excel's reading: decimal comma, ISO dates; text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    if isinstance(value, (int, dt.date)):
        return str(value)
    return safe_text(str(value))


def file_name(what: str, extension: str) -> str:
    """What the file holds, in ASCII: rapportsok-trygghetsmedel-2021.csv."""
    words = [what, request.args.get("q", "")] + [request.args.get(k, "") for k in (
        "namnd", "year", "year_from", "year_to", "report_type", "kind", "status", "deviation")]
    text = unicodedata.normalize("NFKD", " ".join(words)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-")
    return f"rapportsok-{slug}.{extension}"


def csv_response(header: list[str], rows: list[list], what: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # the BOM tells Excel the file is UTF-8
    writer = csv.writer(out, delimiter=";")  # Excel set to Swedish separates with semicolons
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{file_name(what, "csv")}"'})


def xlsx_response(header: list[str], rows: list[list], what: str) -> Response:
    book = Workbook()
    sheet = book.active
    sheet.title = "Rapportsök"
    sheet.append(header)
    links = {i for i, name in enumerate(header, start=1) if name == "länk"}
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.column in links and cell.value:
                cell.hyperlink, cell.style = cell.value, "Hyperlink"  # a link one clicks, not text
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: a leading = never becomes a formula
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, float):
                cell.number_format = NUMBER_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{file_name(what, "xlsx")}"'})


# A number as a number, shown with its decimals (Excel writes the decimal comma a Swedish reader expects).
NUMBER_FORMAT = "#,##0.0##"


def iso_date(text: str | None) -> dt.date | str | None:
    """A date as a date where it is one (2020-12-31), else as printed."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return text


def goal_path_text(goal_path: list[dict]) -> str:
    return " › ".join(f"{g['number'] or ''} {g['title']}".strip() for g in goal_path)


SEARCH_HEADER = ["id", "nämnd", "år", "rapport", "period", "avsnitt", "rubrik", "mål", "sida", "rader",
                 "belopp (mnkr)", "beloppet som det står", "beloppets mening", "text", "länk"]


def amount_rows(text: str) -> list[tuple[float | None, str | None, str | None]]:
    """(mnkr, the amount as printed, the sentence or table row that says what it is) for each
    amount whose unit the passage writes out; one empty row for a passage without one."""
    rows = [(a.mnkr, a.text, sentence) for sentence in sentences(text) for a in find_amounts(sentence)]
    return rows or [(None, None, None)]


def search_rows() -> list[list]:
    """One row per amount of each hit, so every amount is a number in a column of its own."""
    return [[h.id, h.doc["namnd"], h.doc["year"], h.doc["title"], h.doc["period"],
             KIND_LABELS.get(h.section["kind"], h.section["kind"]), h.section["heading"],
             goal_path_text(h.section["goal_path"]), h.page, "–".join(map(str, h.lines)) or None,
             mnkr, printed, label, h.text, absolute(passage_url(h.doc["id"], h.id))]
            for h in export_data(request.args) for mnkr, printed, label in amount_rows(h.text)]


@exports.get("/search.csv")
def search_csv():
    return csv_response(SEARCH_HEADER, search_rows(), "")


@exports.get("/search.xlsx")
def search_xlsx():
    return xlsx_response(SEARCH_HEADER, search_rows(), "")


@exports.get("/search.json")
def search_json():
    hits = export_data(request.args)
    response = ok(query=request.args.get("q", ""), total=len(hits), hits=[hit_json(h) for h in hits])
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name("", "json")}"'
    return response


def _doc_cells(o: dict) -> list:
    return [o["doc"]["namnd"], o["doc"]["year"], o["doc"]["period"], o["doc"]["title"]]


INDICATOR_VALUES = ("outcome", "forecast", "target", "kf_target")


def _number(o: dict, name: str) -> float | None:
    """An indicator cell as a number: as the row was mapped, else the cell as printed ("3 %")."""
    mapped = (o.get("numbers") or {}).get(name)
    if mapped is not None:
        return mapped
    parsed = parse_value(o.get(name) or "")
    return parsed[0] if parsed else None


def _unit(o: dict) -> str | None:
    """The unit the row's cells print ("%", "st"), in a column of its own."""
    return next((parsed[1] for name in INDICATOR_VALUES if (parsed := parse_value(o.get(name) or "")) and parsed[1]),
                None)


HISTORY_ROWS = {
    "activities": ("aktiviteter",
                   ["aktivitet", "nämnd", "år", "period", "rapport", "start", "slut", "avvikelse", "kommentar",
                    "länk"],
                   lambda g, o: [g["text"], *_doc_cells(o), iso_date(o["start"]), iso_date(o["end"]),
                                 "ja" if o["deviation"] else "nej", o["comment"], absolute(o["url"])]),
    "indicators": ("indikatorer",
                   ["indikator", "nämnd", "år", "period", "rapport", "utfall", "prognos", "årsmål", "KF:s årsmål",
                    "enhet", "radens celler", "länk"],
                   lambda g, o: [g["name"], *_doc_cells(o), *(_number(o, name) for name in INDICATOR_VALUES), _unit(o),
                                 " | ".join(o["values"] or []) or None, absolute(o["url"])]),
    "goals": ("mal",
              ["mål", "nivå", "nämnd", "år", "period", "rapport", "nummer", "måluppfyllelse", "länk"],
              lambda g, o: [g["title"], LEVEL_LABELS.get(g["level"], g["level"]), *_doc_cells(o), o["number"],
                            STATUS_LABELS.get(o["status"], o["status"]), absolute(o["url"])]),
}


def history_table(what: str) -> tuple[list[str], list[list]]:
    """Every group that matches (not one page of them), one row per occurrence."""
    _, header, row = HISTORY_ROWS[what]
    args = request.args.copy()
    args["limit"], args["offset"] = "500", "0"
    _, groups = history_data(what, args)
    return header, [row(g, o) for g in groups for o in g["occurrences"]]


def history_export(what: str, respond):
    return respond(*history_table(what), HISTORY_ROWS[what][0])


for _what in HISTORY_ROWS:
    exports.add_url_rule(f"/{_what}.csv", f"{_what}_csv", partial(history_export, _what, csv_response))
    exports.add_url_rule(f"/{_what}.xlsx", f"{_what}_xlsx", partial(history_export, _what, xlsx_response))
