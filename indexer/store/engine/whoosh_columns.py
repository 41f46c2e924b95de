"""Whoosh's per-document values read as columns: one pass over the matched numbers counts a facet."""

from __future__ import annotations

from array import array
from typing import Iterable, Iterator


class Column:
    """One stored value per document, as small integer codes into a list of the distinct values."""

    def __init__(self, values: Iterable):
        self.values: list = []
        codes: dict = {}
        self.codes = array("I")
        for v in values:
            code = codes.get(v)
            if code is None:
                code = codes[v] = len(self.values)
                self.values.append(v)
            self.codes.append(code)

    def __getitem__(self, docnum: int):
        return self.values[self.codes[docnum]]

    def __len__(self) -> int:
        return len(self.codes)

    def counts(self, docnums: Iterable[int]) -> dict:
        """How many of these documents hold each value."""
        tally = [0] * len(self.values)
        codes = self.codes
        for d in docnums:
            tally[codes[d]] += 1
        return {self.values[code]: n for code, n in enumerate(tally) if n}


def column_values(reader, name: str) -> Iterator:
    """A field's column value for every document number, segment by segment. Whoosh's own
    multi-segment column reader leaves out a segment without the column (none of its documents has
    a value, e.g. a report with no status or deviation added by an update), which moves every later
    document onto the wrong segment (IndexError); a segment reader gives its default instead."""
    if not reader.schema[name].column_type:
        yield from (None for _ in range(reader.doc_count_all()))
        return
    for segment, _ in reader.leaf_readers():
        if not segment.doc_count_all():  # an empty index's reader has no columns at all
            continue
        values = segment.column_reader(name, translate=True)
        yield from (values[d] for d in range(segment.doc_count_all()))
