"""Across years: activities, indicators and goals linked from report to report."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from html import unescape
from collections import Counter

import pytest

from conftest import CORPUS, REPORTS
from rapidfuzz import fuzz, process

from indexer import DOCS, build_index, Group, History, document_ids, document_record, read_history, select
from indexer import history as history_module
from indexer.patterns import word_key


def records_of(index_dir) -> list[dict]:
    return [document_record(index_dir, d) for d in document_ids(index_dir)]


@pytest.fixture(scope="module")
def history(corpus_index):
    """The groups the index writer linked and stored, as the app reads them."""
    return read_history(corpus_index / DOCS, records_of(corpus_index))


def every_pair_link(items, threshold):
    """The linking as it was before blocking: each item against every group (the reference)."""
    groups, keys = [], []
    for text, occ in sorted(items, key=lambda it: (it[1].doc["year"] or 0, it[1].doc["id"])):
        key = word_key(text)
        if not key:
            continue
        target = next((groups[i] for _, _, i in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=threshold,
                                                                  limit=5) if occ.doc["id"] not in groups[i].docs()),
                      None)
        if target is None:
            target = Group(key, text)
            groups.append(target)
            keys.append(key)
        target.occurrences.append(occ)
    return groups


def shape(groups) -> list:
    return [(g.key, [o.ref for o in g.occurrences]) for g in groups]


def test_the_stored_groups_are_those_linked_now_and_those_every_pair_gives(corpus_index):
    records = records_of(corpus_index)
    stored, now = read_history(corpus_index / DOCS, records), History(records)
    assert stored.links() == now.links()
    items = history_module._items(records)
    for kind in history_module.KINDS:
        assert shape(getattr(stored, kind)) == shape(every_pair_link(items[kind], history_module.THRESHOLDS[kind]))


def test_blocking_keeps_every_pair_linking_on_texts_that_differ_in_years_and_words():
    rng = random.Random(7)
    words = [f"ord{n}" for n in range(300)]
    items = []
    for n in range(400):
        text = " ".join(rng.choice(words) for _ in range(12)) + f" under {2015 + n % 6}"
        for year in (2019, 2020):  # the same activity a year on, a word and the year changed
            changed = text.replace(str(2015 + n % 6), str(year)).replace("ord1 ", "ord2 ", 1)
            doc = {"id": f"r{year}-{n % 3}", "year": year}
            items.append((changed, history_module.Occurrence(doc, {"text": changed}, None, (doc["id"], n))))
    blocked, reference = history_module.link(items, 90), every_pair_link(items, 90)
    assert shape(blocked) == shape(reference) and len(blocked) < len(items)


def test_links_stored_by_other_code_are_linked_again_by_the_next_run_without_a_rebuild(tmp_path):
    folder, index = tmp_path / "rapporter", tmp_path / "index"
    folder.mkdir()
    for key in ("003", "004"):
        shutil.copy(CORPUS / REPORTS[key], folder)
    build_index([folder], index, workers=1)
    links = index / DOCS / history_module.LINKS
    stale = json.loads(links.read_text(encoding="utf-8"))
    stale["version"], stale["activities"] = "older", []
    links.write_text(json.dumps(stale), encoding="utf-8")
    records = records_of(index)
    assert read_history(index / DOCS, records).links() == History(records).links()  # linked meanwhile
    again = build_index([folder], index, workers=1)
    assert (again.rebuilt, again.unchanged) == (False, 2)
    stored = json.loads(links.read_text(encoding="utf-8"))
    assert stored["version"] == history_module.links_version() and len(stored["activities"]) > 100


def test_the_app_reads_the_stored_groups_and_links_nothing(corpus_index, monkeypatch):
    from app import create_app

    def never(items, threshold):
        raise AssertionError("linked under the request lock")

    monkeypatch.setattr(history_module, "link", never)
    client = create_app(index_dir=corpus_index).test_client()  # its own: nothing read before
    assert client.get("/aktiviteter").status_code == 200
    assert client.get("/api/goals").get_json()["ok"]


# The KF activities that 003 (KS) and 004 (Södermalm) share word for word (report-structure.md).
SHARED = ["klotter", "våldsbejakande extremism", "tak över huvudet", "våldsutsatta", "yrkestitulatur",
          "IBIC", "dagverksamhet", "pilotsamarbete", "feriejobb och Stockholmsjobb", "kulturlokaler",
          "klimatanpassning", "folkbibliotek", "vidareutbildning och kompetensutveckling", "lokalprogrammet"]


def test_word_key_ignores_wrapping_hyphenation_and_case():
    assert word_key("Trafiknämnden ska ta fram en handlings- plan.") == "trafiknämnden ska ta fram en handlingsplan"


@pytest.mark.parametrize("words", SHARED)
def test_the_shared_activities_are_linked_across_ks_and_sodermalm(history, words):
    groups = [g for g in history.activities if all(w.lower() in g.label.lower() for w in words.split())]
    linked = [g for g in groups if len(g.occurrences) > 1]
    assert len(linked) == 1, [g.label for g in groups]
    assert {o.doc["namnd"] for o in linked[0].occurrences} == {"Kommunstyrelsen", "Södermalms stadsdelsnämnd"}


def test_no_two_different_activities_are_merged(history):
    linked = [g for g in history.activities if len(g.occurrences) > 1]
    assert len(linked) == len(SHARED)  # exactly the documented pairs, nothing else
    for group in history.activities:
        docs = Counter(o.doc["id"] for o in group.occurrences)
        assert max(docs.values()) == 1  # one occurrence per report
    # Two KS rows that open alike but are different activities stay apart.
    a = [g for g in history.activities if "trygghets- och säkerhetspunkter" in g.label]
    b = [g for g in history.activities if "reservkraft vid nybyggnation" in g.label]
    assert len(a) == len(b) == 1 and a[0] is not b[0]


def test_the_four_deviations_of_ks_2020_with_their_comments(history):
    groups = select(history.activities, namnd="Kommunstyrelsen", year=2020, deviation=True)
    assert len(groups) == 4
    comments = [g.occurrences[0].item["comment"] for g in groups]
    assert all(comments)
    assert any("krigsorganisation" in c for c in comments)


def test_aktivt_medskapandeindex_in_2015_and_2020(history):
    group = next(g for g in history.indicators if g.label == "Aktivt Medskapandeindex")
    assert {o.doc["year"] for o in group.occurrences} == {2015, 2020}
    assert len(group.occurrences) == 3  # KS 2015, KS 2020, Södermalm 2020


def test_indicator_values_per_period(history):
    group = next(g for g in history.indicators if g.label == "Sjukfrånvaro")
    by_doc = {o.doc["id"]: o.item for o in group.occurrences}
    assert by_doc["ks-tertialrapport-2-2015"]["numbers"]["outcome"] == 2.2
    assert by_doc["ks-tertialrapport-1-2020"]["numbers"]["outcome"] == 2.5
    assert by_doc["ks-tertialrapport-1-2020"]["period"] == "Tertial 1 2020"
    assert not any("dag 1-14" in o.item["name"] for o in group.occurrences)  # a different indicator


def test_kf_goals_recur_with_their_status(history):
    group = next(g for g in history.goals if g.label.startswith("Stockholm är en trygg, säker och välskött"))
    docs = {o.doc["id"] for o in group.occurrences}
    assert docs == {"ks-tertialrapport-1-2020", "sodermalm-tertialrapport-1-2020", "ks-avstamning-mal-och-budget-2021"}
    assert all((o.item.get("status") or o.item.get("summary_status")) == "helt" for o in group.occurrences)


def test_select_matches_word_starts(history):
    assert [g.label for g in select(history.activities, "klott")][0].startswith("Trafiknämnden")
    assert select(history.activities, "xyzzy") == []


def test_activities_api(client):
    data = client.get("/api/activities?q=klotter").get_json()
    assert data["ok"] and data["total"] == 1
    occ = data["activities"][0]["occurrences"]
    assert {o["doc"]["namnd"] for o in occ} == {"Kommunstyrelsen", "Södermalms stadsdelsnämnd"}
    assert all(re.match(r"/dokument/[a-z0-9-]+#p-[a-z0-9-]+$", o["url"]) for o in occ)
    assert {"start", "end", "deviation", "comment", "goal"} <= set(occ[0])
    dev = client.get("/api/activities?namnd=Kommunstyrelsen&year=2020&deviation=ja").get_json()
    assert dev["total"] == 4 and all(g["occurrences"][0]["comment"] for g in dev["activities"])
    assert client.get("/api/activities?deviation=kanske").status_code == 400
    assert client.get("/api/activities?limit=abc").get_json()["status"] == 400


def test_indicators_and_goals_api(client):
    data = client.get("/api/indicators?q=Aktivt+Medskapandeindex").get_json()
    occ = data["indicators"][0]["occurrences"]
    assert {o["doc"]["year"] for o in occ} == {2015, 2020}
    assert {"period", "outcome", "forecast", "target", "kf_target", "comment", "url"} <= set(occ[0])
    goals = client.get("/api/goals?q=trygg+säker").get_json()
    assert goals["ok"] and any(len(g["occurrences"]) == 3 for g in goals["goals"])


def rows(client, url) -> list[list[str]]:
    """A CSV export as Excel set to Swedish reads it: BOM, semicolons."""
    return list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).removeprefix("\ufeff")), delimiter=";"))


def test_history_exports(client):
    csv_text = client.get("/api/activities.csv?q=klotter").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("\ufeffaktivitet;nämnd;år") and len(csv_text.splitlines()) == 3
    indicators = rows(client, "/api/indicators.csv?q=sjukfrånvaro")
    assert indicators[0][:6] == ["indikator", "nämnd", "år", "period", "rapport", "utfall"]
    unit = indicators[0].index("enhet")
    assert {tuple(r[:3]) + (r[5], r[unit]) for r in indicators[1:] if r[0] == "Sjukfrånvaro"} == {
        ("Sjukfrånvaro", "Kommunstyrelsen", "2015", "2,2", "%"), ("Sjukfrånvaro", "Kommunstyrelsen", "2020", "2,5", "%"),
        ("Sjukfrånvaro", "Södermalms stadsdelsnämnd", "2020", "7,4", "%")}
    doc, anchor = indicators[1][-1].split("#")
    assert f'id="{anchor}"' in client.get(doc).get_data(as_text=True)  # the row's link lands on its passage
    goals = rows(client, "/api/goals.csv?q=trygg+säker+välskött")
    assert goals[0] == ["mål", "nivå", "nämnd", "år", "period", "rapport", "nummer", "måluppfyllelse", "länk"]
    assert [(r[2], r[3], r[6], r[7]) for r in goals[1:]] == [
        ("Kommunstyrelsen", "2020", "1.2", "Uppfylls helt"), ("Södermalms stadsdelsnämnd", "2020", "1.2", "Uppfylls helt"),
        ("Kommunstyrelsen", "2021", "1.2", "Uppfylls helt")]
    assert all(r[0].startswith("Stockholm är en trygg, säker och välskött stad") for r in goals[1:])


def test_history_pages(client):
    html = client.get("/aktiviteter?q=klotter").get_data(as_text=True)
    assert "Aktiviteter över åren" in html and "Södermalms stadsdelsnämnd" in html and "2020-12-31" in html
    ind = client.get("/indikatorer?q=sjukfr%C3%A5nvaro").get_data(as_text=True)
    assert '<figure class="chart"><svg' in ind and "<circle" in ind and "2,2 %" in ind and ind.count("<script") == 1
    assert "Måluppfyllelse" in client.get("/mal?q=trygg").get_data(as_text=True)
    assert client.get("/aktiviteter?deviation=kanske").status_code == 400


def test_a_hit_links_to_its_history(client):
    html = client.get("/sok?q=handlingsplan+klotter").get_data(as_text=True)
    assert 'class="history" href="/aktiviteter?q=' in html


def test_namndmal_are_tracked_like_kf_goals(history):
    namndmal = [g for g in history.goals if g.occurrences[0].item["level"] == "namndmal"]
    assert namndmal
    # A nämndmål never joins a KF goal, and stays with its own nämnd.
    for group in history.goals:
        assert len({o.item["level"] for o in group.occurrences}) == 1
    for group in namndmal:
        assert len({o.doc["namnd"] for o in group.occurrences}) == 1


def test_every_goal_hit_links_to_a_history_with_that_goal(client, searcher):
    goal_hits = [f.to_dict() for f in searcher.documents(kind="goal")]
    assert len(goal_hits) > 50
    empty = []
    for f in goal_hits:
        words = (f["heading"] or f["text"]).split()[:12]
        data = client.get("/api/goals", query_string={"q": " ".join(words)}).get_json()
        if data["total"] == 0:
            empty.append(f["heading"])
    assert empty == []


def _groups(html: str) -> list[set[str]]:
    """The passage links of each group on a history page."""
    return [set(re.findall(r'href="(/dokument/[^"]+)"', part)) for part in html.split('<section class="group">')[1:]]


def _leads_to_history(client, link: str, passage_url: str) -> bool:
    """The history page holds the passage's group, and it stands in two reports or more."""
    groups = _groups(client.get(unescape(link)).get_data(as_text=True))
    return any(passage_url in g and len({u.split("#")[0] for u in g}) >= 2 for g in groups)


def test_over_the_years_is_offered_only_where_there_is_a_history(client):
    offered = 0
    for q in ("klotter", "sjukfrånvaro", "trygg", "budgetföljsamhet", "ekonomi i balans", "medskapandeindex"):
        html = client.get("/sok", query_string={"q": q, "limit": 50}).get_data(as_text=True)
        for hit in html.split('<li class="hit">')[1:]:
            target = unescape(re.search(r'class="open" href="([^"]+)"', hit).group(1))
            url = re.sub(r"\?[^#]*", "", target)
            link = re.search(r'class="history" href="([^"]+)"', hit)
            if link:
                offered += 1
                assert _leads_to_history(client, link.group(1), url), (q, url)
    assert offered >= 10
    # A report page leads from its activities, indicators and goals to their histories, and from
    # those alone that stand in another report too.
    html = client.get("/dokument/ks-tertialrapport-1-2020").get_data(as_text=True)
    links = [(re.findall(r'id="(p-[^"]+)"', html[:m.start()])[-1], m.group(1))  # the passage it stands in
             for m in re.finditer(r'class="history" href="([^"]+)"', html)]
    assert len(links) >= 20 and any("/mal?" in link for _, link in links)
    for anchor, link in links:
        assert _leads_to_history(client, link, f"/dokument/ks-tertialrapport-1-2020#{anchor}"), anchor
    singles = client.get("/api/activities", query_string={"limit": 500}).get_json()["activities"]
    alone = [o["url"] for g in singles if len({o["doc"]["id"] for o in g["occurrences"]}) == 1 for o in g["occurrences"]]
    page_of = {}
    for url in alone[:40]:
        doc, anchor = url.split("#")
        page_of.setdefault(doc, client.get(doc).get_data(as_text=True))
        section = page_of[doc].split(f'id="{anchor}"')[1].split("</section>")[0]
        assert 'class="history"' not in section, url
