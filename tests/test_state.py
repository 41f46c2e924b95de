"""The index as the app holds it: report records and the links across years read once per change
of the reports, not once per request or per link a page draws."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import create_app, state
from indexer import DOCS, document_ids, document_record

HISTORY_URLS = ["/api/activities", "/api/indicators", "/api/goals", "/aktiviteter", "/indikatorer", "/mal",
                "/api/activities.csv", "/"]


@pytest.fixture
def fresh(corpus_index, monkeypatch):
    """An app of its own over the corpus index, and how many report records it has read."""
    reads = []
    read = state.document_record

    def counted(index_dir, doc_id):
        reads.append(doc_id)
        return read(index_dir, doc_id)

    monkeypatch.setattr(state, "document_record", counted)
    app = create_app(index_dir=corpus_index)
    app.testing = True
    return app.test_client(), reads


def touch_a_record(corpus_index) -> None:
    record = Path(corpus_index) / DOCS / f"{document_ids(corpus_index)[0]}.json"
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_records_are_read_once_per_change_of_the_reports(fresh, corpus_index):
    client, reads = fresh
    n = len(document_ids(corpus_index))
    for url in HISTORY_URLS * 2:
        assert client.get(url).status_code == 200, url
    assert sorted(reads) == document_ids(corpus_index)
    touch_a_record(corpus_index)
    for url in HISTORY_URLS:
        client.get(url)
    assert len(reads) == 2 * n


def test_a_page_with_many_links_looks_at_the_records_once(fresh, corpus_index, monkeypatch):
    client, _ = fresh
    client.get("/api/activities")  # the first request reads the records
    looked = []
    stat = Path.stat

    def counted(self, **kw):
        if self.parent.name == DOCS:
            looked.append(self)
        return stat(self, **kw)

    monkeypatch.setattr(Path, "stat", counted)
    data = client.get("/api/activities?limit=500").get_json()
    links = sum(len(g["occurrences"]) for g in data["activities"])
    assert links > 50 and all("#p-" in o["url"] for g in data["activities"] for o in g["occurrences"])
    assert len(looked) <= len(document_ids(corpus_index)) + 1  # each record and the report list once


def test_linked_is_the_same_until_the_reports_change(corpus_index):
    holder = state.IndexHolder(corpus_index)
    first = holder.linked()
    assert holder.linked() is first and holder.history() is first.history
    assert [r["id"] for r in holder.documents()] == document_ids(corpus_index)
    touch_a_record(corpus_index)
    assert holder.linked() is not first


def test_the_report_list_does_not_wait_for_the_links_across_years(corpus_index, monkeypatch):
    # At a city's scale linking activities across 3,000 reports takes a minute; the home page lists reports only.
    holder = state.IndexHolder(corpus_index)
    monkeypatch.setattr(state, "History", lambda records: pytest.fail("History built for the report list"))
    assert [r["id"] for r in holder.documents()] == document_ids(corpus_index)


def test_the_home_page_and_the_report_api_read_no_record(fresh, corpus_index):
    # At a million passages the records are 500 MB: a start must not wait for them.
    client, reads = fresh
    assert client.get("/").status_code == 200
    listed = client.get("/api/documents").get_json()["documents"]
    assert reads == []
    assert [d["id"] for d in listed] == document_ids(corpus_index)
    first = document_record(corpus_index, listed[0]["id"])
    assert listed[0]["title"] == first["document"]["title"] and listed[0]["passages"] == first["passages"]

