"""The parameters a search (and the views across years and of a report) take, drawn once: each
one's type, limits, choices and Swedish name. `SearchParams` checks itself against them, the web
app reads request arguments by them and its API description (app/openapi.py) is written from
them. Every problem is a `QueryError` naming the parameter, said in Swedish."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from ..patterns import STATUSES, YEARS

KINDS = ("goal", "summary", "analysis", "expected_result", "description", "activity", "indicator", "decision",
         "economy", "other")
SORTS = ("relevance", "date", "date_asc")
MAX_QUERY = 500
# Paging stops here: deeper pages are never read by people, and each costs the work of all before it.
MAX_OFFSET = 1000
# An export holds at most this many hits, read in one pass.
MAX_EXPORT = 1000
MAX_TEXT = 200  # a name to filter on (nämnd, report type)


class QueryError(ValueError):
    """A query or parameter the user must change: `param` names it, `problem` says in Swedish what
    is wrong, phrased to follow the parameter's name ("limit måste vara mellan 1 och 100")."""

    def __init__(self, param: str, problem: str, label: str | None = None):
        super().__init__(f"{param} {problem}")
        self.param = param
        self.problem = problem
        self.param_label = label  # the parameter's Swedish name, where it is not a search's

    def label(self) -> str:
        """The message as a page says it: the parameter by its Swedish name."""
        return f"{self.param_label or LABELS.get(self.param, self.param)} {self.problem}"


@dataclass(frozen=True)
class Param:
    """One parameter: `kind` is "string", "integer", "year", "choice" or "yes_no" (ja/nej)."""

    name: str
    kind: str
    label: str  # how a page names it
    description: str  # for the API description
    minimum: int | None = None
    maximum: int | None = None  # a number's largest, a text's longest
    choices: tuple[str, ...] = ()
    default: object = None
    required: bool = False
    hint: str = ""  # said after a value out of range

    def error(self, problem: str) -> QueryError:
        return QueryError(self.name, problem, self.label)

    def check(self, value):
        """`value` as the library takes it (an int, a str, a bool or None); raises QueryError."""
        if value is None:
            if self.required:
                raise self.error("saknas: skriv något att söka efter")
            return None
        if self.kind == "string" and self.maximum is not None and len(value) > self.maximum:
            raise self.error(f"är {len(value)} tecken lång; högst {self.maximum} går")
        if self.kind == "choice" and value not in self.choices:
            raise self.error(f"måste vara en av {', '.join(self.choices)}, inte {value!r}")
        if self.kind == "year" and not self.minimum <= value <= self.maximum:
            raise self.error(f"måste vara ett årtal mellan {self.minimum} och {self.maximum}, inte {value}")
        if self.kind == "integer" and not (self.minimum <= value and (self.maximum is None or value <= self.maximum)):
            limits = (f"mellan {self.minimum} och {self.maximum}" if self.maximum is not None
                      else f"minst {self.minimum}")
            raise self.error(f"måste vara {limits}{self.hint}")
        return value

    def read(self, args):
        """The checked value of this parameter among request arguments (strings); an empty one (as
        a form sends it) is not set."""
        text = args.get(self.name, "")
        if self.kind == "string":
            return self.check(text.strip() or None)
        if not text:
            return self.check(self.default)
        if self.kind in ("integer", "year"):
            if not re.fullmatch(r"-?[0-9]+", text):  # int() would also take " 5", "1_000" and other digits
                raise self.error(f"måste vara ett heltal, inte {text!r}")
            return self.check(int(text))
        if self.kind == "yes_no":
            if text not in ("ja", "nej"):
                raise self.error(f"måste vara ja eller nej, inte {text!r}")
            return text == "ja"
        return self.check(text)

    def openapi(self) -> dict:
        """The parameter in the API description; an optional one may be sent empty, meaning not set."""
        schema: dict = {"type": "integer" if self.kind in ("integer", "year") else "string"}
        if self.kind == "string":
            schema.update({"minLength": 1} if self.required else {})
            schema.update({"maxLength": self.maximum} if self.maximum is not None else {})
        elif self.kind in ("integer", "year"):
            schema.update({"minimum": self.minimum} if self.minimum is not None else {})
            schema.update({"maximum": self.maximum} if self.maximum is not None else {})
        else:
            schema["enum"] = list(self.choices) if self.kind == "choice" else ["ja", "nej"]
        if self.default is not None:
            schema["default"] = self.default
        param = {"name": self.name, "in": "query", "required": self.required, "description": self.description,
                 "schema": schema}
        if not self.required:
            param["allowEmptyValue"] = True
        return param


def _year(name: str, label: str, description: str) -> Param:
    return Param(name, "year", label, description, minimum=YEARS[0], maximum=YEARS[1])


SEARCH_PARAMS = {p.name: p for p in (
    Param("q", "string", "Sökfrågan", "Search text: plain Swedish, \"phrases\", prefix*, OCH/ELLER/INTE (or AND/OR/NOT), in capitals.",
          maximum=MAX_QUERY, required=True),
    Param("limit", "integer", "Antal per sida", "Hits per page.", minimum=1, maximum=100, default=10),
    Param("offset", "integer", "Sidan", "Hits to skip.", minimum=0, maximum=MAX_OFFSET, default=0,
          hint=": avgränsa sökningen i stället"),
    Param("namnd", "string", "Nämnd", "Only this nämnd (exact name).", maximum=MAX_TEXT),
    _year("year", "År", "Only this year."),
    _year("year_from", "Från år", "From this year."),
    _year("year_to", "Till år", "To this year."),
    Param("period", "string", "Period", "Only this report period as stored, e.g. Tertial 1 2020.", maximum=MAX_TEXT),
    Param("report_type", "string", "Rapporttyp", "Only this report type, e.g. Tertialrapport 1.", maximum=MAX_TEXT),
    Param("doc_id", "string", "Rapport", "Only this report (its id).", maximum=MAX_TEXT),
    Param("kind", "choice", "Avsnitt", "Only this section kind.", choices=KINDS),
    Param("status", "choice", "Måluppfyllelse", "Only passages under a goal with this status.", choices=STATUSES),
    Param("deviation", "yes_no", "Avvikelse", "Only activities with (ja) or without (nej) deviation."),
    Param("sort", "choice", "Sortering", "Order of hits.", choices=SORTS, default="relevance"),
)}
# An export takes every hit from the first (no offset), up to `limit`.
EXPORT_PARAMS = {**{n: p for n, p in SEARCH_PARAMS.items() if n != "offset"},
          "limit": replace(SEARCH_PARAMS["limit"], description="Hits to export.", maximum=MAX_EXPORT, default=MAX_EXPORT)}
ASK_PARAMS = {n: SEARCH_PARAMS[n] for n in ("q", "limit", "namnd", "year", "year_from", "year_to", "period", "report_type",
                                            "kind")}

# The views across years: words that start words of the item's text, a page of groups.
_HISTORY = {p.name: p for p in (
    Param("q", "string", "Sökningen", "Words that start words of the item's text.", maximum=MAX_QUERY),
    Param("limit", "integer", "Antal per sida", "Groups per page.", minimum=1, maximum=500, default=50),
    Param("offset", "integer", "Sidan", "Groups to skip.", minimum=0, default=0),
)}
_NAMND = Param("namnd", "string", "Nämnd", "Only occurrences in this nämnd's reports.", maximum=MAX_TEXT)
HISTORY_PARAMS = {
    "activities": {**_HISTORY, "namnd": _NAMND, "year": _year("year", "År", "Only occurrences in this year's reports."),
                   "deviation": replace(SEARCH_PARAMS["deviation"],
                                        description="Only occurrences with (ja) or without (nej) deviation.")},
    "indicators": {**_HISTORY, "namnd": _NAMND},
    "goals": dict(_HISTORY),
}
# A report's lists (goals, activities, indicators, decisions, sections), paged alike.
DOCUMENT_PARAMS = {p.name: p for p in (
    Param("limit", "integer", "Antal per sida", "Items of each list (goals, activities, indicators, decisions, "
          "sections) per page.", minimum=1, maximum=500, default=100),
    Param("offset", "integer", "Sidan", "Items of each list to skip.", minimum=0, default=0),
)}
LABELS = {p.name: p.label for p in SEARCH_PARAMS.values()}


def read_args(params: dict[str, Param], args) -> dict:
    """Each parameter's checked value among request arguments; the first bad one raises."""
    return {name: param.read(args) for name, param in params.items()}


@dataclass(frozen=True)
class SearchParams:
    q: str
    limit: int = 10
    offset: int = 0
    namnd: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    period: str | None = None  # the report's period as stored: "Tertial 1 2020"
    report_type: str | None = None
    kind: str | None = None
    status: str | None = None
    deviation: bool | None = None
    doc_id: str | None = None
    sort: str = "relevance"
    export: bool = False  # one pass of up to MAX_EXPORT hits, without highlighting

    def validate(self) -> SearchParams:
        checked = replace(self, q=(self.q or "").strip() or None)
        for f in fields(self):
            param = (EXPORT_PARAMS if self.export and f.name == "limit" else SEARCH_PARAMS).get(f.name)
            if param is not None:
                param.check(getattr(checked, f.name))
        return checked

    def filters(self) -> dict:
        """The filters alone, to pass on (to `ask`)."""
        return {name: getattr(self, name) for name in ("namnd", "year", "year_from", "year_to", "period", "report_type",
                                                       "kind", "status", "deviation", "doc_id")}
