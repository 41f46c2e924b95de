"""The engines by name (config.toml's `[index] engine`): the only module that imports them all."""

from __future__ import annotations

from ...config import ENGINES
from .base import EngineIndex, EngineMissing


def index_class(engine: str) -> type[EngineIndex]:
    """The index class of an engine name; tantivy is imported only when chosen (an extra)."""
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
