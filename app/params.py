"""Request arguments → search parameters, with a Swedish message naming each bad value's parameter.
An empty argument (as a form sends it) means the argument is not set; any other value must be one
the API's description (app/openapi.py) allows."""

from __future__ import annotations

import re

from indexer import KINDS, MAX_OFFSET, SORTS, STATUSES, YEARS, QueryError, SearchParams

MAX_TEXT_ARG = 200
MAX_QUERY = 500
# How the pages name a parameter in a message (the API names the parameter itself).
PARAM_LABELS = {"q": "Sökfrågan", "limit": "Antal per sida", "offset": "Sidan", "namnd": "Nämnd", "year": "År",
                "year_from": "Från år", "year_to": "Till år", "period": "Period", "doc_id": "Rapport", "report_type": "Rapporttyp", "kind": "Avsnitt",
                "status": "Måluppfyllelse", "deviation": "Avvikelse", "sort": "Sortering"}


class ParamError(QueryError):
    """A bad request argument: `param` is its name, the message says what is wrong in Swedish."""

    def __init__(self, param: str, problem: str):
        super().__init__(f"{param} {problem}")
        self.param = param
        self.problem = problem

    def label(self) -> str:
        """The message as a page shows it: the parameter by its Swedish name."""
        return f"{PARAM_LABELS.get(self.param, self.param)} {self.problem}"


def int_arg(args, name: str, default: int | None) -> int | None:
    value = args.get(name, "")
    if not value:
        return default
    if not re.fullmatch(r"-?[0-9]+", value):  # int() would also take " 5", "1_000" and other digits
        raise ParamError(name, f"måste vara ett heltal, inte {value!r}")
    return int(value)


def _text(args, name: str) -> str | None:
    value = args.get(name, "")
    if len(value) > MAX_TEXT_ARG:
        raise ParamError(name, f"är längre än {MAX_TEXT_ARG} tecken")
    return value.strip() or None


def _choice(args, name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    value = args.get(name, "") or default
    if value is not None and value not in choices:
        raise ParamError(name, f"måste vara en av {', '.join(choices)}, inte {value!r}")
    return value


def _year(args, name: str) -> int | None:
    value = int_arg(args, name, None)
    if value is not None and not YEARS[0] <= value <= YEARS[1]:
        raise ParamError(name, f"måste vara ett årtal mellan {YEARS[0]} och {YEARS[1]}, inte {value}")
    return value


def bool_arg(args, name: str) -> bool | None:
    value = args.get(name, "")
    if not value:
        return None
    if value not in ("ja", "nej"):
        raise ParamError(name, f"måste vara ja eller nej, inte {value!r}")
    return value == "ja"


def search_params(args) -> SearchParams:
    """Parse and check; raises ParamError naming the parameter that is wrong. A reversed year
    range is swapped (`reversed_years` tells the page to say so)."""
    q = args.get("q", "").strip()
    if not q:
        raise ParamError("q", "saknas: skriv något att söka efter")
    if len(q) > MAX_QUERY:
        raise ParamError("q", f"är {len(q)} tecken lång; högst {MAX_QUERY} går")
    limit, offset = int_arg(args, "limit", 10), int_arg(args, "offset", 0)
    if not 1 <= limit <= 100:
        raise ParamError("limit", "måste vara mellan 1 och 100")
    if not 0 <= offset <= MAX_OFFSET:
        raise ParamError("offset", f"måste vara mellan 0 och {MAX_OFFSET}: avgränsa sökningen i stället")
    year_from, year_to = _year(args, "year_from"), _year(args, "year_to")
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from
    params = SearchParams(
        q=q, limit=limit, offset=offset, namnd=_text(args, "namnd"), year=_year(args, "year"), year_from=year_from,
        year_to=year_to, period=_text(args, "period"), report_type=_text(args, "report_type"), kind=_choice(args, "kind", KINDS),
        status=_choice(args, "status", STATUSES), deviation=bool_arg(args, "deviation"),
        doc_id=_text(args, "doc_id"), sort=_choice(args, "sort", SORTS, "relevance"))
    return params.validate()  # the library's own checks stay the last word


def reversed_years(args) -> bool:
    """Whether the request gave the year range the wrong way round (it is searched swapped)."""
    try:
        low, high = int_arg(args, "year_from", None), int_arg(args, "year_to", None)
    except ParamError:
        return False
    return low is not None and high is not None and low > high


def export_limit(args) -> int:
    limit = int_arg(args, "limit", 1000)
    if not 1 <= limit <= 1000:
        raise ParamError("limit", "måste vara mellan 1 och 1000 för en export")
    return limit
