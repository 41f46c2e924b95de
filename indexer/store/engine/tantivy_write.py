"""Writing a tantivy index: the passage schema in tantivy's terms, and our Swedish analysis done
before tantivy sees a passage. Each text field holds our analyzer's tokens, joined by spaces and
split again by tantivy's whitespace tokenizer, so both engines match the same passages for the
same query; a field's phrases are matched on a field of each word's one token.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import Callable, NamedTuple

import tantivy
from whoosh import fields as whoosh_fields

from ..analysis import phrase_analyzer
from ..workers import pool as worker_pool

STORED = "stored"  # every stored field of a passage, as JSON: one read per hit
GROUP_KEY = "group_key"  # the near-identical group, as a number in a column
HEAP = 256_000_000  # the writer's memory, split between its threads
NUMERIC = ("year", "when", "order")
# Fields filtered or counted on, or read for every report (tantivy reads these as columns).
FAST = ("namnd", "office", "report_type", "kind", "status", "deviation", "doc_id", "period")
# Where a field's "phrases" are matched: its words one token each (the phrase analysis), so a
# token's position is its word's, as in Whoosh, where a word's lemma and compound parts share it.
PHRASES = "{}_phrases"


def text_fields(schema) -> list[str]:
    return [name for name, f in schema.items() if isinstance(f, whoosh_fields.TEXT)]


def token_fields(schema) -> dict[str, tuple[str, object]]:
    """tantivy's text fields: name → (the passage field it holds, the analyzer of its tokens)."""
    out = {name: (name, schema[name].analyzer) for name in text_fields(schema)}
    for name in text_fields(schema):
        if schema[name].format.supports("positions"):
            out[PHRASES.format(name)] = (name, phrase_analyzer(schema[name].analyzer))
    return out


def tantivy_schema(schema) -> tantivy.Schema:
    """The passage schema in tantivy terms: text fields hold our tokens; ID fields are whole
    values; numbers are indexed and fast; what is stored is stored once, as JSON."""
    sb = tantivy.SchemaBuilder()
    for name in token_fields(schema):  # positions only where phrases are matched
        sb.add_text_field(name, tokenizer_name="whitespace",
                          index_option="position" if name.endswith(PHRASES.format("")) else "freq")
    for name, f in schema.items():
        if isinstance(f, whoosh_fields.NUMERIC):
            sb.add_integer_field(name, indexed=True, fast=True)
        elif isinstance(f, whoosh_fields.ID):
            sb.add_text_field(name, tokenizer_name="raw", fast=name in FAST)
    sb.add_unsigned_field(GROUP_KEY, fast=True)
    sb.add_bytes_field(STORED, stored=True)
    return sb.build()


def group_key(group: str) -> int:
    """The group as a number: tantivy reads numeric columns for many documents at once."""
    return int.from_bytes(hashlib.blake2b(group.encode(), digest_size=8).digest(), "big")


def _stored_names(schema) -> list[str]:
    return [name for name, f in schema.items() if f.stored]


class TokenCache:
    """Our analyzer's tokens for a text, space-joined, with each distinct word analysed once: a
    word's lemma and compound parts do not change between passages, and the filters after the
    tokenizer look at one word at a time. The section text every passage of a section carries
    as its context is analysed once too. The words are the tokenizer's own matches, found
    without its Token objects: most of a build's time went to making them."""

    CONTEXTS = 64

    def __init__(self, analyzer):
        tokenizer = analyzer.items[0]
        # Its matches are its words: not so for one that splits on its expression, and findall
        # would give a group's text, not the match, for a pattern with groups.
        assert not tokenizer.gaps and not tokenizer.expression.groups, tokenizer.expression.pattern
        self._find = tokenizer.expression.findall
        self._words = _Words(lambda word: " ".join(x.text for x in analyzer(word)))
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __call__(self, text: str) -> str:
        if text in self._texts:
            return self._texts[text]
        joined = self._texts[text] = " ".join(filter(None, map(self._words.__getitem__, self._find(text))))
        while len(self._texts) > self.CONTEXTS:
            self._texts.popitem(last=False)
        return joined


class _Words(dict):
    """word → its tokens, space-joined ("" for a stop word), analysed when first asked for."""

    def __init__(self, analyse: Callable[[str], str]):
        super().__init__()
        self._analyse = analyse

    def __missing__(self, word: str) -> str:
        tokens = self[word] = self._analyse(word)
        return tokens


class Preparer:
    """A passage's fields → the document tantivy takes, as a dict of final values: our tokens for
    the text fields (and their phrase fields), whole values, numbers, the group as a number and
    the stored fields as JSON. Made here or in a worker process, whose word analyses it keeps
    across batches."""

    def __init__(self, schema):
        self._caches = {name: (source, TokenCache(analyzer)) for name, (source, analyzer) in
                        token_fields(schema).items()}
        self._whole = {name for name, f in schema.items() if isinstance(f, whoosh_fields.ID)}
        self._stored = _stored_names(schema)

    def __call__(self, batch: list[dict]) -> list[dict]:
        return [self._document(fields) for fields in batch]

    def _document(self, fields: dict) -> dict:
        doc = {}
        for name, (source, tokens) in self._caches.items():
            if fields.get(source) is not None:
                doc[name] = tokens(fields[source])
        for name, value in fields.items():
            if value is None or name in self._caches:
                continue
            if name in NUMERIC:
                doc[name] = int(value)
            elif name in self._whole:
                doc[name] = str(value)
        doc[GROUP_KEY] = group_key(fields.get("group") or fields["id"])
        doc[STORED] = json.dumps({n: fields[n] for n in self._stored if n in fields}, ensure_ascii=False).encode()
        return doc


_preparer: Preparer | None = None  # a preparing worker's own


def _start_preparing(schema) -> None:
    global _preparer
    _preparer = Preparer(schema)


def _prepare_in_worker(batch: list[dict]) -> list[dict]:
    return _preparer(batch)


class _Delete(NamedTuple):
    field: str
    value: str


class TantivyWriter:
    """Adds and deletes passages; nothing is seen until `commit`.

    Our Swedish analysis costs more than tantivy's indexing, so with `workers` > 1 a build of
    more than one batch is prepared by that many processes, a batch of passages at a time, while
    this one hands the documents to tantivy; every operation still reaches tantivy in the order
    it was asked for. A smaller build is prepared here: starting the workers would cost more."""

    BATCH = 500
    IN_FLIGHT = 2  # batches per worker: none waits for the next while this process adds documents

    def __init__(self, index: tantivy.Index, schema, workers: int = 1):
        self._index = index
        self._writer = index.writer(heap_size=HEAP)
        self._schema = index.schema
        self._passage_schema = schema
        self._prepare = Preparer(schema)
        self._workers = workers
        self._pool = None
        self._batch: list[dict] = []
        # In the order they were asked for: documents prepared (or their future), deletions.
        self._pending: deque[list[dict] | Future | _Delete] = deque()

    def add_document(self, **fields) -> None:
        self._batch.append(fields)
        if len(self._batch) >= self.BATCH:
            self._send()

    def delete_by_term(self, field: str, value: str) -> None:
        self._send()
        self._pending.append(_Delete(field, value))

    def add_prepared(self, documents: list[dict]) -> None:
        """Documents a `Preparer` made elsewhere, after whatever was asked for before them."""
        self._send()
        self._pending.append(documents)
        self._write(keep=self.IN_FLIGHT * self._workers)

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None and self._workers > 1 and len(batch) >= self.BATCH:
            self._pool = worker_pool(self._workers, _start_preparing, (self._passage_schema,))
        self._pending.append(self._prepare(batch) if self._pool is None else
                             self._pool.submit(_prepare_in_worker, batch))
        self._write(keep=self.IN_FLIGHT * self._workers)

    def _write(self, keep: int) -> None:
        while len(self._pending) > keep:
            op = self._pending.popleft()
            if isinstance(op, _Delete):
                self._writer.delete_documents_by_term(op.field, op.value)
                continue
            for doc in op.result() if isinstance(op, Future) else op:
                self._writer.add_document(tantivy.Document.from_dict(doc, self._schema))

    def commit(self) -> None:
        self._send()
        self._write(keep=0)
        self._stop()
        try:
            self._writer.commit()
        except ValueError as exc:  # tantivy's I/O errors (a full disk) are an OSError here, as Whoosh's are
            raise OSError(str(exc)) from exc
        self._writer.garbage_collect_files()  # segments merged away: a file count that means something
        self._writer.wait_merging_threads()
        self._index.reload()

    def cancel(self) -> None:
        self._stop()
        self._writer.rollback()
        self._writer = None  # its lock on the index goes now, not with a traceback that holds this writer

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
