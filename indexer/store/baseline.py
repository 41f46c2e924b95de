"""The stock baseline the evaluation measures against: Whoosh's `LanguageAnalyzer("sv")` over
120-word windows of each document's text, in memory, queried with a plain OR of the words."""

from __future__ import annotations

from whoosh import qparser
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage


class StockIndex:
    def __init__(self, texts: dict[str, str], window: int = 120):
        self._analyzer = LanguageAnalyzer("sv")
        schema = Schema(id=ID(stored=True), text=TEXT(analyzer=self._analyzer, stored=True))
        self._ix = RamStorage().create_index(schema)
        writer = self._ix.writer()
        for doc, text in texts.items():
            words = text.split()
            for start in range(0, max(len(words), 1), window):
                writer.add_document(id=f"{doc}:{start}", text=" ".join(words[start:start + window]))
        writer.commit()
        self._parser = qparser.QueryParser("text", schema, group=qparser.OrGroup)

    def doc_count(self) -> int:
        """How many windows it holds."""
        return self._ix.doc_count()

    def search(self, q: str, limit: int) -> list[str]:
        """The texts of the best `limit` windows for a plain OR of the query's words."""
        with self._ix.searcher() as s:
            return [hit["text"] for hit in s.search(self._parser.parse(q), limit=limit)]

    def tokens(self, text: str) -> set[str]:
        """The stock analyzer's stemmed terms of a text."""
        return {t.text for t in self._analyzer(text)}
