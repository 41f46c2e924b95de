"""Request arguments → search parameters, with a clear message for each bad value."""

from __future__ import annotations

from indexer import QueryError, SearchParams

MAX_TEXT_ARG = 200


def int_arg(args, name: str, default: int | None) -> int | None:
    value = args.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {value!r}") from None


def _text(args, name: str) -> str | None:
    value = args.get(name, "").strip()
    if len(value) > MAX_TEXT_ARG:
        raise QueryError(f"{name} is longer than {MAX_TEXT_ARG} characters")
    return value or None


def bool_arg(args, name: str) -> bool | None:
    value = args.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("ja", "true", "1", "yes"):
        return True
    if value in ("nej", "false", "0", "no"):
        return False
    raise QueryError(f"{name} must be ja or nej, not {value!r}")


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
