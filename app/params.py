"""Request arguments → search parameters, with a clear message for each bad value. An empty
argument (as a form sends it) means the argument is not set; any other value must be one the
API's description (app/openapi.py) allows."""

from __future__ import annotations

import re

from indexer import QueryError, SearchParams

MAX_TEXT_ARG = 200


def int_arg(args, name: str, default: int | None) -> int | None:
    value = args.get(name, "")
    if not value:
        return default
    if not re.fullmatch(r"-?[0-9]+", value):  # int() would also take " 5", "1_000" and other digits
        raise QueryError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _text(args, name: str) -> str | None:
    value = args.get(name, "")
    if len(value) > MAX_TEXT_ARG:
        raise QueryError(f"{name} is longer than {MAX_TEXT_ARG} characters")
    return value.strip() or None


def bool_arg(args, name: str) -> bool | None:
    value = args.get(name, "")
    if not value:
        return None
    if value not in ("ja", "nej"):
        raise QueryError(f"{name} must be ja or nej, not {value!r}")
    return value == "ja"


def search_params(args) -> SearchParams:
    """Parse and validate; raises QueryError naming the parameter that is wrong."""
    params = SearchParams(
        q=args.get("q", ""), limit=int_arg(args, "limit", 10), offset=int_arg(args, "offset", 0),
        namnd=_text(args, "namnd"), year=int_arg(args, "year", None), year_from=int_arg(args, "year_from", None),
        year_to=int_arg(args, "year_to", None), report_type=_text(args, "report_type"), kind=_text(args, "kind"),
        status=_text(args, "status"), deviation=bool_arg(args, "deviation"), sort=args.get("sort", "relevance") or
        "relevance",
    )
    return params.validate()


def export_limit(args) -> int:
    limit = int_arg(args, "limit", 1000)
    if not 1 <= limit <= 1000:
        raise QueryError("limit must be between 1 and 1000 for an export")
    return limit
