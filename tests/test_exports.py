"""Exports: CSV that Excel set to Swedish opens as it is, Excel files with typed columns, links
from the configured base URL, names that say what a file holds, and no formulas from a report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app import create_app, exports
from indexer import Hit, load_config
from indexer.ingest.amounts import find_amounts

HOSTILE = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_search_csv_for_swedish_excel(client):
    r = client.get("/api/search.csv?q=trygghetsmedel&year=2021")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    assert r.headers["Content-Disposition"] == 'attachment; filename="rapportsok-trygghetsmedel-2021.csv"'
    rows = read_csv(r)
    assert rows[0][:4] == ["id", "nämnd", "år", "rapport"] and len(rows) > 1
    kinds = {row[5] for row in rows[1:]}
    assert kinds <= {"Sammanfattning", "Analys", "Förväntat resultat", "Beskrivning", "Aktivitet", "Indikator",
                     "Beslut", "Ekonomi", "Övrigt", "Mål"} and "Ekonomi" in kinds
    amounts = [row[10] for row in rows[1:] if row[10]]
    assert amounts and all("." not in a for a in amounts)  # decimal comma
    assert all(row[-1].startswith("http://127.0.0.1:8000/dokument/") for row in rows[1:])


def test_links_come_from_the_configured_base_url_never_the_host_header(corpus_index, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[server]\nbase_url = "https://rapporter.example.se/sok/"\n', encoding="utf-8")
    app = create_app(load_config(config), index_dir=corpus_index)
    client = app.test_client()
    for url in ("/api/search.csv?q=klotter", "/api/activities.csv?q=klotter"):
        rows = read_csv(client.get(url, headers={"Host": "evil.example"}))
        links = [row[-1] for row in rows[1:]]
        assert links and all(link.startswith("https://rapporter.example.se/sok/dokument/") for link in links)


def test_links_follow_the_address_served_on_unless_base_url_is_set(corpus_index, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[server]\nport = 8765\n', encoding="utf-8")
    client = create_app(load_config(config), index_dir=corpus_index).test_client()
    for url in ("/api/search.csv?q=klotter", "/api/goals.csv?q=trygg"):
        links = [row[-1] for row in read_csv(client.get(url, headers={"Host": "evil.example"}))[1:]]
        assert links and all(link.startswith("http://127.0.0.1:8765/dokument/") for link in links)
    feed = client.get("/sok.atom?q=klotter").get_data(as_text=True)
    assert 'href="http://127.0.0.1:8765/dokument/' in feed and "8000" not in feed


def test_forwarded_headers_count_only_behind_configured_proxies(corpus_index, tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "rapporter.example.se",
                 "X-Forwarded-Prefix": "/sok"}
    config = tmp_path / "config.toml"
    config.write_text("[server]\nport = 8765\n", encoding="utf-8")
    plain = create_app(load_config(config), index_dir=corpus_index).test_client()
    links = [row[-1] for row in read_csv(plain.get("/api/search.csv?q=klotter", headers=forwarded))[1:]]
    assert links and all(link.startswith("http://127.0.0.1:8765/dokument/") for link in links)  # ignored
    config.write_text("[server]\nport = 8765\nproxies = 1\n", encoding="utf-8")
    proxied = create_app(load_config(config), index_dir=corpus_index).test_client()
    links = [row[-1] for row in read_csv(proxied.get("/api/search.csv?q=klotter", headers=forwarded))[1:]]
    assert links and all(link.startswith("https://rapporter.example.se/sok/dokument/") for link in links)


def test_history_csv_names_and_swedish_labels(client):
    r = client.get("/api/goals.csv?q=trygg")
    assert r.headers["Content-Disposition"] == 'attachment; filename="rapportsok-mal-trygg.csv"'
    rows = read_csv(r)
    assert {row[1] for row in rows[1:]} >= {"KF:s mål för verksamhetsområdet"}
    assert "Uppfylls helt" in {row[7] for row in rows[1:]}
    acts = client.get("/api/activities.csv?q=klotter")
    assert acts.headers["Content-Disposition"] == 'attachment; filename="rapportsok-aktiviteter-klotter.csv"'


def hostile_hit(text: str) -> Hit:
    doc = {"id": "d", "namnd": text, "year": 2020, "title": text, "period": text}
    section = {"kind": "economy", "heading": text, "goal_path": [{"number": None, "title": text}]}
    return Hit(id="d-1", score=1.0, text=f"{text} -7,0 mnkr", snippet=text, doc=doc, section=section, page=None, lines=[1],
               amounts=[-7.0])


def hostile_group(what: str, text: str) -> dict:
    doc = {"id": "d", "namnd": text, "year": 2020, "period": text, "title": text}
    occurrence = {"doc": doc, "url": "/dokument/d#p-d-1", "start": text, "end": "2020-12-31", "deviation": True,
                  "comment": text, "period": text, "outcome": text, "forecast": text, "target": text,
                  "kf_target": text, "values": [text], "numbers": {"outcome": -1.5}, "number": text, "status": "inte"}
    return {"text": text, "name": text, "title": text, "level": "namndmal", "occurrences": [occurrence]}


def assert_neutralised(rows: list[list[str]]):
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell in ("-7", "-1,5"), cell  # numbers stay numbers


@pytest.mark.parametrize("text", HOSTILE)
def test_search_csv_neutralises_formulas(client, monkeypatch, text):
    monkeypatch.setattr(exports, "export_data", lambda args: [hostile_hit(text)])
    rows = read_csv(client.get("/api/search.csv?q=x"))
    assert_neutralised(rows)
    assert rows[1][3] == "'" + text and rows[1][10] == "-7"


@pytest.mark.parametrize("what", ["activities", "indicators", "goals"])
@pytest.mark.parametrize("text", HOSTILE)
def test_history_csv_neutralises_formulas(client, monkeypatch, what, text):
    monkeypatch.setattr(exports, "history_data", lambda w, args: (1, [hostile_group(w, text)]))
    rows = read_csv(client.get(f"/api/{what}.csv"))
    assert_neutralised(rows)
    assert rows[1][0] == "'" + text


def test_excel_has_typed_columns_and_no_formulas(client, monkeypatch):
    r = client.get("/api/search.xlsx?q=trygghetsmedel&year=2020")
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r.headers["Content-Disposition"] == 'attachment; filename="rapportsok-trygghetsmedel-2020.xlsx"'
    sheet = load_workbook(io.BytesIO(r.data)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert rows and all(isinstance(row["år"], int) for row in rows)
    assert 26.1 in [row["belopp (mnkr)"] for row in rows]  # amounts as numbers
    acts = load_workbook(io.BytesIO(client.get("/api/activities.xlsx?q=klotter").data)).active
    assert acts["F2"].value == dt.datetime(2020, 1, 1)  # dates as dates
    monkeypatch.setattr(exports, "history_data", lambda w, args: (1, [hostile_group(w, HOSTILE[0])]))
    cell = load_workbook(io.BytesIO(client.get("/api/goals.xlsx").data)).active["A2"]
    assert cell.value == HOSTILE[0] and cell.data_type == "s"  # text, never a formula


def test_every_amount_is_a_number_in_a_row_of_its_own_with_what_it_is(client):
    sheet = load_workbook(io.BytesIO(client.get("/api/search.xlsx?q=underskott").data)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]
    amounts = [r for r in rows if r["belopp (mnkr)"].value is not None]
    assert amounts and all(isinstance(r["belopp (mnkr)"].value, (int, float)) for r in amounts)
    assert all(r["belopp (mnkr)"].number_format == exports.NUMBER_FORMAT for r in amounts)
    for r in amounts:  # the printed amount stands in its sentence, and is the number beside it
        printed, said = r["beloppet som det står"].value, r["beloppets mening"].value
        assert printed in said and printed in r["text"].value
        assert [a.mnkr for a in find_amounts(printed)] == [r["belopp (mnkr)"].value]
    per_passage = {}
    for r in amounts:
        per_passage.setdefault(r["id"].value, []).append(r["belopp (mnkr)"].value)
    assert any(len(v) > 1 for v in per_passage.values())  # a passage with several amounts has a row for each


def test_indicator_values_are_numbers_with_their_unit_apart(client):
    sheet = load_workbook(io.BytesIO(client.get("/api/indicators.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    for name in ("utfall", "prognos", "årsmål", "KF:s årsmål"):
        values = [r[name] for r in rows if r[name] is not None]
        assert values and all(isinstance(v, (int, float)) for v in values), name
    assert {"%", "st"} <= {r["enhet"] for r in rows}
    percent = next(r for r in rows if r["enhet"] == "%" and r["prognos"] is not None)
    assert f"{percent['prognos']:g}".replace(".", ",") in percent["radens celler"]
@pytest.mark.parametrize("url", ["/api/search.xlsx?q=klotter", "/api/activities.xlsx?q=klotter",
                                 "/api/indicators.xlsx?q=trygg", "/api/goals.xlsx?q=trygg"])
def test_excel_links_are_hyperlinks(client, url):
    sheet = load_workbook(io.BytesIO(client.get(url).data)).active
    column = [c.value for c in sheet[1]].index("länk") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    assert cells and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in cells)
    assert all(c.value.startswith("http://127.0.0.1:8000/dokument/") for c in cells)


def test_base_url_is_checked_and_defaults_to_the_local_server(tmp_path):
    from indexer import ConfigError

    config = tmp_path / "config.toml"
    config.write_text("[server]\nport = 8000\n", encoding="utf-8")
    assert load_config(config).base_url is None and load_config(config).public_url() == "http://127.0.0.1:8000"
    config.write_text('[server]\nbase_url = "rapporter.example.se"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="server.base_url must be an http:// or https:// address"):
        load_config(config)
