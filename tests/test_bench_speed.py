"""The speed benchmark's helpers (never its timings): scaled passages are new, distinct reports."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("speed", Path(__file__).resolve().parent.parent / "benchmarks" / "speed.py")
speed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(speed)


@pytest.fixture(scope="module")
def reports():
    return speed.base_reports()


def test_scaled_passages_are_new_reports_spread_over_years(reports):
    corpus = sum(len(r.passages) for r in reports)
    size = 2 * corpus + 7
    rows = list(speed.scaled(size, reports))
    assert len(rows) == size
    assert len({p.id for _, _, p in rows}) == size
    originals = {p.id: p for r in reports for p in r.passages}
    for k, parsed, p in rows:
        original = originals[speed.base_id(p.id)]
        assert p.doc_id == f"{original.doc_id}-c{k}" and p.group == f"{original.group}-c{k}"
        assert p.year == (original.year and original.year - k % speed.YEAR_SPREAD)
    assert Counter(k for k, _, _ in rows) == {0: corpus, 1: corpus, 2: 7}


def test_copy_record_names_the_copy(reports):
    parsed = reports[0]
    record = speed.copy_record(parsed, 3, 12)
    assert record["id"] == f"{parsed.doc_id}-c3" and record["passages"] == 12
    assert record["document"]["year"] == parsed.record["document"]["year"] - 3
