"""The JSON API through Flask's test client: every route, its envelope and its errors."""

from __future__ import annotations

import csv
import io

import pytest

from indexer import QueryError, SearchParams


def test_search_envelope_and_hit_shape(client):
    r = client.get("/api/search?q=trygghetsmedel+2020&limit=5")
    assert r.status_code == 200 and r.is_json
    data = r.get_json()
    assert list(data)[0] == "ok" and data["ok"] is True
    assert data["total"] > 0 and len(data["hits"]) == 5
    hit = data["hits"][0]
    assert {"id", "text", "snippet", "score", "doc", "section", "page", "url"} <= set(hit)
    assert set(hit["doc"]) == {"id", "title", "namnd", "year", "report_type", "period", "date"}
    assert {"kind", "heading", "goal_path"} <= set(hit["section"])
    assert hit["url"] == f"/dokument/{hit['doc']['id']}#p-{hit['id']}"
    assert set(data["facets"]) == {"namnd", "year", "period", "report_type", "kind", "status", "deviation"}
    assert all({"value", "count"} == set(v) for values in data["facets"].values() for v in values)
    assert "suggestion" in data and data["operator_hint"] is None
    assert set(data["per_report"]) == {h["doc"]["id"] for h in data["hits"]}


def test_search_filters_and_paging(client):
    data = client.get("/api/search?q=trygghet&namnd=S%C3%B6dermalms+stadsdelsn%C3%A4mnd&year_from=2019"
                      "&year_to=2020&kind=analysis&status=helt&limit=3&offset=3&sort=date").get_json()
    assert data["ok"] and data["hits"]
    for hit in data["hits"]:
        assert hit["doc"]["namnd"] == "Södermalms stadsdelsnämnd" and hit["section"]["kind"] == "analysis"
    deviations = client.get("/api/search?q=coronapandemin&deviation=ja").get_json()
    assert deviations["hits"] and all(h["deviation"] is True for h in deviations["hits"])


@pytest.mark.parametrize("query, message", [
    ("", "q saknas"),
    ("q=", "q saknas"),
    ("q=" + "x" * 501, "högst 500"),
    ("q=budget&limit=abc", "limit måste vara ett heltal"),
    ("q=budget&limit=101", "limit måste vara mellan 1 och 100"),
    ("q=budget&limit=0", "limit måste vara mellan 1 och 100"),
    ("q=budget&year=tjugo", "year måste vara ett heltal"),
    ("q=budget&year=99999999999999999999", "year måste vara ett årtal mellan 1900 och 2100"),
    ("q=budget&year_from=-3", "year_from måste vara ett årtal"),
    ("q=budget&offset=-5", "offset måste vara mellan 0 och 1000"),
    ("q=budget&offset=1001", "offset måste vara mellan 0 och 1000"),
    ("q=budget&kind=roman", "kind måste vara en av"),
    ("q=budget&status=kanske", "status måste vara en av"),
    ("q=budget&deviation=kanske", "deviation måste vara ja eller nej"),
    ("q=budget&sort=slump", "sort måste vara en av"),
    ("q=budget&namnd=" + "n" * 201, "namnd är 201 tecken lång; högst 200 går"),
])
def test_bad_parameters_are_400_with_a_message(client, query, message):
    r = client.get(f"/api/search?{query}")
    assert r.status_code == 400
    data = r.get_json()
    assert data["ok"] is False and data["status"] == 400 and message in data["error"]


def test_documents(client):
    data = client.get("/api/documents").get_json()
    assert data["ok"] and len(data["documents"]) == 5
    ids = {d["id"] for d in data["documents"]}
    assert "sodermalm-tertialrapport-1-2020" in ids
    doc = client.get("/api/documents/ks-tertialrapport-1-2020").get_json()
    assert doc["ok"] and doc["document"]["namnd"] == "Kommunstyrelsen"
    assert len(doc["goals"]) == 37 and len(doc["activities"]) == 82 and doc["decisions"] and doc["sections"]
    assert "source" not in doc and "path" not in doc["document"]  # no server paths


@pytest.mark.parametrize("path, message", [
    ("/api/documents/saknas", "Rapporten 'saknas' finns inte."),
    ("/api/documents/..%2F..%2Fetc%2Fpasswd", "Sidan finns inte."),  # no route: the id holds a slash
    ("/api/finns-inte", "Sidan finns inte."), ("/api/similar/saknas-1", "Stycket 'saknas-1' finns inte."),
])
def test_unknown_things_are_404_in_the_envelope_in_swedish(client, path, message):
    r = client.get(path)
    assert r.status_code == 404 and r.get_json() == {"ok": False, "error": message, "status": 404}


def test_wrong_method_is_405_in_the_envelope(client):
    r = client.post("/api/search?q=budget")
    assert r.status_code == 405 and r.get_json()["status"] == 405
    assert r.get_json()["error"] == "Det går inte att göra så här."
    assert set(r.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_empty_arguments_mean_not_set(client):
    """As a form sends them; the description says so (allowEmptyValue)."""
    empty = "limit=&offset=&year=&year_from=&year_to=&namnd=&kind=&status=&deviation=&sort="
    assert client.get(f"/api/search?q=budget&{empty}").get_json()["total"] > 0
    spec = client.get("/api/openapi.json").get_json()
    assert all(p["allowEmptyValue"] for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] != "q")


@pytest.mark.parametrize("path", ["/api/search?q=budget&deviation=true", "/api/search?q=budget&deviation=JA",
                                  "/api/activities?deviation=true", "/api/search?q=budget&limit=%205",
                                  "/api/search?q=budget&limit=1_0", "/api/goals?offset=%D9%A1"])
def test_values_the_description_forbids_are_400(client, path):
    assert client.get(path).status_code == 400


def test_the_description_matches_the_checks(client):
    spec = client.get("/api/openapi.json").get_json()["paths"]
    search = {p["name"]: p["schema"] for p in spec["/api/search"]["get"]["parameters"]}
    assert all((search[y]["minimum"], search[y]["maximum"]) == (1900, 2100) for y in ("year", "year_from", "year_to"))
    assert client.get("/api/search?q=budget&year=1899").status_code == 400
    assert client.get(f"/api/search?q=budget&offset={search['offset']['maximum'] + 1}").status_code == 400
    export = {p["name"]: p["schema"] for p in spec["/api/search.csv"]["get"]["parameters"]}
    assert "offset" not in export and export["limit"]["maximum"] == 1000  # an export starts at the first hit
    assert client.get("/api/search.json?q=trygghet&limit=1000").status_code == 200


def test_similar_passages(client):
    hit = client.get("/api/search?q=handlingsplan+klotter").get_json()["hits"][0]
    data = client.get(f"/api/similar/{hit['id']}").get_json()
    assert data["ok"] and data["hits"] and hit["id"] not in {h["id"] for h in data["hits"]}


def test_openapi_describes_the_api(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/search", "/api/documents", "/api/documents/{id}"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "limit", "offset", "namnd", "year", "year_from", "year_to", "kind", "status", "deviation",
            "sort"} <= names


def test_exports_apply_the_filters(client):
    r = client.get("/api/search.csv?q=budget&year=2015")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["id", "nämnd", "år"] and len(rows) > 2
    assert {row[2] for row in rows[1:]} == {"2015"}
    data = client.get("/api/search.json?q=budget&year=2015&limit=7").get_json()
    assert data["ok"] and len(data["hits"]) == 7
    assert client.get("/api/search.json?q=budget&limit=5000").status_code == 400


def test_security_headers(client):
    r = client.get("/api/search?q=budget")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_no_index_is_503_in_the_envelope(tmp_path):
    from app import create_app

    c = create_app(index_dir=tmp_path / "ingen").test_client()
    r = c.get("/api/search?q=budget")
    assert r.status_code == 503 and "rapportsok index" in r.get_json()["error"]
    assert c.get("/").status_code == 503


@pytest.mark.parametrize("q", ["OCH", "*", '"', "(", ")", "a:b", "INTE", "ELLER ELLER", "\x00", "🙂", "budget^2",
                               "[a TO b]", "{", "year:2020", "-", "?", "bud*et", '"tak över', "NOT", "AND OR"])
def test_odd_queries_never_fail_the_server(client, q):
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code in (200, 400) and r.get_json()["ok"] is (r.status_code == 200)
    assert client.get("/sok", query_string={"q": q}).status_code in (200, 400)


def test_the_app_picks_up_a_rebuilt_index_without_a_restart(tmp_path):
    import json
    import shutil

    from conftest import CORPUS, REPORTS

    from app import create_app
    from indexer import build_index
    from indexer.store.generations import META

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / REPORTS["001"], folder)
    build_index([folder], tmp_path / "ix", workers=1)
    c = create_app(index_dir=tmp_path / "ix").test_client()
    assert len(c.get("/api/documents").get_json()["documents"]) == 1
    assert c.get("/api/search?q=%22Hantverkargatan%22").get_json()["total"] > 0
    shutil.copy(CORPUS / REPORTS["003"], folder)
    build_index([folder], tmp_path / "ix", workers=1)  # an update inside the generation
    assert len(c.get("/api/documents").get_json()["documents"]) == 2
    assert c.get("/api/search?q=krigsorganisation").get_json()["total"] > 0
    meta = json.loads((tmp_path / "ix" / META).read_text())
    meta["version"]["schema"] = -1
    (tmp_path / "ix" / META).write_text(json.dumps(meta))
    (folder / REPORTS["001"]).unlink()
    assert build_index([folder], tmp_path / "ix", workers=1).rebuilt  # a new generation behind the link
    assert [d["id"] for d in c.get("/api/documents").get_json()["documents"]] == ["ks-tertialrapport-1-2020"]
    assert c.get("/api/search?q=%22Hantverkargatan%22").get_json()["total"] == 0


def test_search_api_returns_the_nearest_passages_after_the_hits(client):
    # No passage holds all three words; the page shows the nearest, and so does the API.
    data = client.get("/api/search", query_string={"q": "naturreservaten blockkedja budget"}).get_json()
    assert data["ok"] and data["total"] == 0 and data["hits"] == []
    assert data["nearest"] and all(h["missing"] for h in data["nearest"])
    assert all(set(h["missing"]) < {"naturreservaten", "blockkedja", "budget"} for h in data["nearest"])


@pytest.mark.parametrize("q", ["Hur snabbt växer naturreservaten?", "Hur många lekplatser rustades upp?",
                               "budget kulturhuset"])
def test_the_api_shows_what_the_library_ranks_and_answers(client, searcher, q):
    from indexer import SearchParams, ask, search

    data = client.get("/api/search", query_string={"q": q, "limit": 10}).get_json()
    ranked = search(searcher, SearchParams(q=q, limit=10)).ranked()
    assert [h["id"] for h in data["hits"] + data["nearest"]] == [h.id for h in ranked]
    asked = client.get("/api/ask", query_string={"q": q, "limit": 1}).get_json()
    reply = ask(searcher, q, limit=1)
    assert (asked["answer"] or {}).get("text") == (reply.answer.text if reply.answer else None)
    assert asked["note"] == reply.note


def test_the_description_the_app_and_the_library_check_the_same_limits(client):
    """One schema of parameters: every bound the description states is the one the API and
    SearchParams enforce, each naming the parameter."""
    params = client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]["parameters"]
    bounded = [(p["name"], p["schema"]) for p in params if "maximum" in p["schema"] or "enum" in p["schema"]]
    assert {name for name, _ in bounded} >= {"limit", "offset", "year", "year_from", "year_to", "kind", "status", "sort"}
    for name, schema in bounded:
        if "enum" in schema:
            bad = {name: "ingen"} if name != "deviation" else None
            good = {name: schema["enum"][-1]}
        else:
            bad, good = {name: schema["maximum"] + 1}, {name: schema["maximum"]}
        assert client.get("/api/search", query_string={"q": "budget", **good}).status_code == 200, name
        if bad is None:
            continue
        r = client.get("/api/search", query_string={"q": "budget", **bad})
        assert r.status_code == 400 and r.get_json()["error"].startswith(f"{name} "), name
        with pytest.raises(QueryError) as raised:
            SearchParams(q="budget", **bad).validate()
        assert raised.value.param == name
