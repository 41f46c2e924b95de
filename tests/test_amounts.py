"""Swedish numbers and amounts in mnkr."""

from __future__ import annotations

import pytest

from indexer.ingest.amounts import find_amounts, parse_number, parse_value


@pytest.mark.parametrize("text, value", [
    ("12,5", 12.5), ("1 234,5", 1234.5), ("1 899,0", 1899.0), ("-7,0", -7.0), ("–153,6", -153.6), ("9 000", 9000),
    ("80", 80), ("12,5 mnkr", None), ("1 23", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, mnkr", [
    ("beviljades 26,1 mnkr till 30 ansökningar", [26.1]),
    ("omslutningsförändringar 5 878,8 mnkr", [5878.8]),
    ("cirka 13 mdkr", [13000.0]),
    ("80 mkr", [80.0]),
    ("ett nettoöverskott på 80,0 miljoner kronor", [80.0]),
    ("minskat med 37,1 miljoner kronor", [37.1]),
    ("stöd om 800 tkr", [0.8]),
    ("underskott om -7,0 mnkr och 2,0 mnkr", [-7.0, 2.0]),
    ("år 2020 var 510 platser", []),
])
def test_find_amounts(text, mnkr):
    assert [a.mnkr for a in find_amounts(text)] == mnkr


def test_parse_value_keeps_the_unit():
    assert parse_value("2,5 %") == (2.5, "%")
    assert parse_value("9 000 st") == (9000.0, "st")
    assert parse_value("Tas fram av nämnd") is None
