"""Who signed: signature blocks are kept as text (names with their roles), not lost as headings
without text."""

from __future__ import annotations

import pytest

from indexer.ingest.passages import passages_of
from indexer.ingest.structure import signature
from indexer.records import Line


class _Item:  # what the builder walks: a line
    def __init__(self, text: str):
        self.line = Line(text, 1)


def items(*texts: str) -> list:
    return [_Item(t) for t in texts]


def test_names_over_roles_are_paired():
    found = signature(items("Magdalena Bosson Susanne Tiderman", "", "Stadsdirektör Ekonomidirektör", "Bilagor"), 0)
    assert found == ("Magdalena Bosson, stadsdirektör. Susanne Tiderman, ekonomidirektör.", 3)


def test_a_name_under_the_date_is_a_signature():
    assert signature(items("Stockholm den 24 september 2015", "", "KARIN WANNGÅRD", "", "Bilagor"), 2) == (
        "Karin Wanngård", 1)


@pytest.mark.parametrize("lines, at", [
    (("Kista Science City", "Arbetet med visionen fortsätter."), 0),  # a heading over text
    (("Ekonomi", "Budgeten följs."), 0),  # one word
    (("Sammanfattning inkl. övergripande verksamhetsuppföljning", "Kontoret kommer att uppfylla målen."), 0),
])
def test_headings_are_not_signatures(lines, at):
    assert signature(items(*lines), at) is None


@pytest.mark.parametrize("key, signed", [
    ("002", "Magdalena Bosson, stadsdirektör. Susanne Tiderman, ekonomidirektör."),
    ("001", "Bosse Sundling"),
])
def test_the_reports_signatures_are_searchable_text(reports, key, signed):
    assert any(signed in p.text for p in passages_of(reports[key], key))
