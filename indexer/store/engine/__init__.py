"""The index engines behind one declared seam (`base.Engine`, `base.EngineIndex`): Whoosh, the
default, and tantivy for large archives. Nothing above `store/` imports either library: the query
side speaks the product's own query type (`query.py`) and reads `StoredPassage` records."""

from __future__ import annotations

from ...config import ENGINES
from .base import BM25, Engine, EngineIndex, EngineMissing, Filter, Matched, StoredPassage, Unreadable

__all__ = ["BM25", "Engine", "EngineIndex", "EngineMissing", "Filter", "Matched", "StoredPassage", "Unreadable",
           "index_class"]


def index_class(engine: str) -> type[EngineIndex]:
    """The index class of an engine name (config.toml's `[index] engine`)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "tantivy":
        try:
            from .tantivy import TantivyIndex
        except ImportError as exc:
            raise EngineMissing("the tantivy engine is not installed: pip install 'rapportsok[tantivy]'") from exc
        return TantivyIndex
    from .whoosh import WhooshIndex

    return WhooshIndex
