"""Request arguments → search parameters, read by the library's one schema of parameters
(indexer/query/params.py), from which the API's description is written too: an empty argument (as
a form sends it) is not set, any other value must be one the schema allows, else a QueryError
names the parameter in Swedish."""

from __future__ import annotations

from indexer import EXPORT_PARAMS, SEARCH_PARAMS, QueryError, SearchParams, read_args


def _in_order(values: dict) -> dict:
    """A reversed year range is searched swapped (`reversed_years` tells the page to say so)."""
    low, high = values["year_from"], values["year_to"]
    if low is not None and high is not None and low > high:
        values["year_from"], values["year_to"] = high, low
    return values


def search_params(args) -> SearchParams:
    return SearchParams(**_in_order(read_args(SEARCH_PARAMS, args))).validate()


def export_params(args) -> SearchParams:
    """Every hit from the first, up to the export's `limit`, in one pass."""
    return SearchParams(**_in_order(read_args(EXPORT_PARAMS, args)), export=True).validate()


def reversed_years(args) -> bool:
    """Whether the request gave the year range the wrong way round (it is searched swapped)."""
    try:
        low, high = SEARCH_PARAMS["year_from"].read(args), SEARCH_PARAMS["year_to"].read(args)
    except QueryError:
        return False
    return low is not None and high is not None and low > high
