"""The index engines behind one declared seam (`base.Engine`, `base.EngineIndex`): Whoosh, the
default, and tantivy for large archives, chosen by name in `registry.py`. Nothing above `store/`
imports either library: the query side speaks the product's own query type (`query.py`) and
reads `StoredPassage` records."""

from __future__ import annotations

from . import query
from .base import BM25, Engine, EngineIndex, EngineMissing, Filter, Matched, StoredPassage, Unreadable

__all__ = ["BM25", "Engine", "EngineIndex", "EngineMissing", "Filter", "Matched", "StoredPassage", "Unreadable",
           "query"]
