"""The HTML pages through Flask's test client."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import CORPUS, REPORTS


def page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    assert r.mimetype == "text/html"
    return r.get_data(as_text=True)


def test_home_has_a_search_box_and_what_is_indexed(client):
    html = page(client, "/")
    assert '<input id="q" name="q"' in html and 'lang="sv"' in html
    assert "5 rapporter" in html and "2006–2021" in html
    assert "Tertialrapport 1 2020 för Södermalms stadsdelsnämnd" in html


def test_results_show_hits_with_their_context(client):
    html = page(client, "/sok?q=krigsorganisation")
    assert "träffar för" in html
    assert 'class="kind kind-activity"' in html and "Avvikelse" in html
    assert "Tertialrapport 1 2020 för kommunstyrelsen" in html and "rad 160" in html
    assert "Stockholm är en trygg, säker och välskött stad" in html and "Uppfylls helt" in html
    assert "<mark>krigsorganisation</mark>" in html
    link = r'href="/dokument/ks-tertialrapport-1-2020\?q=krigsorganisation#p-ks-tertialrapport-1-2020-\d+"'
    assert re.search(link, html)


def test_facets_years_sort_and_exports_keep_the_state_in_the_url(client):
    html = unescape(page(client, "/sok?q=trygghet&kind=analysis"))
    assert "/sok?q=trygghet&kind=analysis&year=2020" in html  # a facet link adds to the state
    assert 'href="/sok?q=trygghet"' in html  # the chosen facet removes itself
    assert "/api/search.csv?q=trygghet&kind=analysis" in html and "/api/search.json?q=trygghet&kind=analysis" in html
    assert 'name="year_from"' in html and '<select id="sort" name="sort"' in html
    for name in ("Nämnd", "År", "Rapporttyp", "Avsnitt", "Måluppfyllelse"):
        assert f"<h2>{name}</h2>" in html


def test_pagination(client):
    html = unescape(page(client, "/sok?q=budget&limit=5"))
    assert "Sida 1 av" in html and "/sok?q=budget&limit=5&offset=5" in html
    second = unescape(page(client, "/sok?q=budget&limit=5&offset=5"))
    assert "Sida 2 av" in second and 'rel="prev"' in second
    assert '<option value="5" selected>5</option>' in second  # the page size in force is the one chosen


def test_the_pager_numbers_pages_and_ends_where_paging_ends(client):
    html = unescape(page(client, "/sok?q=budget&limit=10&offset=50"))
    numbers = re.findall(r'aria-label="Sida (\d+)[^"]*"', html)
    total = int(re.search(r"<strong>(\d+)</strong>", html)[1])
    last = -(-total // 10)
    assert numbers == ["1", "4", "5", "6", "7", "8", str(last)] and 'aria-current="page"' in html
    assert f'href="/sok?q=budget&limit=10&offset={(last - 1) * 10}"' in html
    deep = unescape(page(client, "/sok?q=kommunstyrelsen&limit=1"))  # 1000 is as deep as paging goes (offset 1000)
    assert re.findall(r'aria-label="Sida (\d+)[^"]*"', deep)[-1] == "1001" and "Sidorna slutar vid träff 1001" in deep


def test_years_stand_newest_first_and_periods_are_a_facet(client):
    data = client.get("/api/search?q=budget").get_json()
    years = [int(f["value"]) for f in data["facets"]["year"]]
    assert years == sorted(years, reverse=True) and len(years) > 2
    assert {"Tertial 1 2020", "Tertial 2 2015"} <= {f["value"] for f in data["facets"]["period"]}
    narrowed = client.get("/api/search?q=budget&period=Tertial 1 2020").get_json()
    counts = dict((f["value"], f["count"]) for f in data["facets"]["period"])
    assert narrowed["total"] == counts["Tertial 1 2020"] and all(h["doc"]["period"] == "Tertial 1 2020"
                                                                 for h in narrowed["hits"])
    assert "Period</h2>" in page(client, "/sok?q=budget")


def test_hits_say_how_many_their_report_holds_and_link_to_them(client):
    data = client.get("/api/search?q=budget").get_json()
    for doc_id, n in data["per_report"].items():
        only = client.get("/api/search", query_string={"q": "budget", "doc_id": doc_id}).get_json()
        assert only["total"] == n and {h["doc"]["id"] for h in only["hits"]} == {doc_id}
    html = unescape(page(client, "/sok?q=budget"))
    doc_id, n = max(data["per_report"].items(), key=lambda kv: kv[1])
    assert f'href="/sok?q=budget&doc_id={doc_id}">{n} träffar i rapporten</a>' in html
    assert '<time datetime="2015-09-24">' in unescape(page(client, "/sok?q=budget&year=2015"))


def test_what_a_user_types_is_escaped(client):
    html = page(client, "/sok?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+budget")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    chip = page(client, "/sok?q=budget&namnd=%3Cimg%20src=x%3E%22")
    assert "<img src=x>" not in chip and 'aria-label="Ta bort avgränsningen Nämnd: &lt;img src=x&gt;&#34;"' in chip


def test_suggestion_and_empty_state(client):
    html = page(client, "/sok?q=f%C3%B6rskolr+s%C3%B6dermalm")
    assert "Menade du" in html and "förskolor" in html
    empty = page(client, "/sok?q=xyzzyqwerty&kind=decision")
    assert "Inga träffar" in empty and "Ta bort alla avgränsningar" in empty


def test_bad_parameter_is_a_400_page(client):
    html = page(client, "/sok?q=budget&year=tjugo", 400)
    assert "År måste vara ett heltal, inte &#39;tjugo&#39;. Träffarna visas utan den avgränsningen." in html
    assert '<li class="hit">' in html and 'id="q-top" name="q" type="search" value="budget"' in html


def test_document_page_has_goals_sections_and_anchors(client):
    html = page(client, "/dokument/ks-tertialrapport-1-2020")
    assert "<h1>Tertialrapport 1 2020 för kommunstyrelsen</h1>" in html
    assert "Mål och måluppfyllelse" in html and html.count("status-helt") >= 34
    assert "Förslag till beslut" in html
    anchors = re.findall(r'id="p-(ks-tertialrapport-1-2020-\d+)"', html)
    assert len(anchors) > 200 and len(anchors) == len(set(anchors))
    assert "/dokument/ks-tertialrapport-1-2020/original" in html


def test_a_result_link_lands_on_its_passage(client):
    hit = client.get("/api/search?q=krigsorganisation").get_json()["hits"][0]
    path, anchor = hit["url"].split("#")
    assert f'id="{anchor}"' in page(client, path)


def test_original_file_download(client):
    with client.get("/dokument/sodermalm-tertialrapport-1-2020/original") as r:
        assert r.status_code == 200
        assert r.data == (CORPUS / REPORTS["004"]).read_bytes()
        assert "attachment" in r.headers["Content-Disposition"]


def test_unknown_pages_are_404_in_swedish(client):
    assert "Sidan finns inte" in page(client, "/dokument/saknas", 404)
    assert "Sidan finns inte" in page(client, "/dokument/saknas/original", 404)
    assert "Sidan finns inte" in page(client, "/finns/inte", 404)


def test_pages_carry_a_content_security_policy(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*>", r.get_data(as_text=True))
    assert scripts == ['<script src="/static/pages.js" defer>']  # one static file, nothing inline


def test_a_reversed_year_range_is_swapped_and_said(client):
    html = page(client, "/sok?q=budget&year_from=2020&year_to=2015")
    assert "Årtalen var omkastade. Visar åren 2015–2020." in html
    swapped = client.get("/api/search?q=budget&year_from=2020&year_to=2015").get_json()
    straight = client.get("/api/search?q=budget&year_from=2015&year_to=2020").get_json()
    assert swapped["total"] == straight["total"] > 0


def test_an_empty_or_too_long_query_keeps_the_page(client):
    html = page(client, "/sok?q=" + "x" * 501, 400)
    assert "Sökfrågan är 501 tecken lång; högst 500 går." in html and 'id="q-top"' in html


def test_active_filters_are_chips_that_remove_themselves(client):
    html = unescape(page(client, "/sok?q=trygghet&year=2020&kind=analysis&year_from=2015"))
    assert 'aria-label="Ta bort avgränsningen År: 2020" href' not in html  # label after href
    chip = '<a href="/sok?q=trygghet&kind=analysis&year_from=2015" aria-label="Ta bort avgränsningen År: 2020">'
    assert chip in html
    assert 'aria-label="Ta bort avgränsningen Årtal: 2015–…"' in html
    assert '<details class="filters" id="avgransa" data-open-wide>' in html and "<h1 class=\"total\">" in html


def test_the_report_page_marks_the_query_words_escaped(client):
    html = page(client, "/dokument/ks-tertialrapport-1-2020?q=krigsorganisationen%20och%20%3Cb%3Ex")
    assert "<mark>krigsorganisation</mark>" in html  # an inflected form of the query's word
    assert "<mark>och</mark>" not in html  # stop words are not marked
    assert "<b>x" not in html and "&lt;b&gt;x" in html
    assert 'href="/sok?q=krigsorganisationen+och+%3Cb%3Ex">← Tillbaka till träffarna' in html
    assert "<mark>" not in page(client, "/dokument/ks-tertialrapport-1-2020")


def test_the_report_page_marks_whole_words_as_search_matches_them(client):
    marks = re.findall(r"<mark>([^<]*)</mark>", page(client, "/dokument/ks-tertialrapport-1-2020?q=trygghetsmedel+2020"))
    assert "2020" in marks and "trygghetsmedel" in marks
    # Numbers are exact, and a compound query word's part marks no other compound.
    assert {m.lower() for m in marks} <= {"2020", "trygghetsmedel", "trygghetsmedlen"}
    # A simple word marks the compounds it is a part of, as search finds them.
    marks = re.findall(r"<mark>([^<]*)</mark>", page(client, "/dokument/ks-tertialrapport-1-2020?q=trygghet"))
    assert "trygghetsutskottet" in marks and "trygghetsmedel" in marks


def test_marking_follows_the_words_forms_and_the_querys_operators():
    from app.marking import highlighter
    from indexer.store.analysis import TextAnalysis, swedish_analyzer

    analysis = TextAnalysis(swedish_analyzer())
    mark = highlighter("kostade förskol* -medel INTE budget 1 234,5", analysis)
    text = "Kost kostar, kostnaden kostade; förskolorna fick medel ur budget: 1 234,5 mnkr, inte 234."
    assert mark(text) == ("Kost <mark>kostar</mark>, kostnaden <mark>kostade</mark>; <mark>förskolorna</mark> fick "
                          "medel ur budget: <mark>1 234,5</mark> mnkr, inte 234.")
    assert str(highlighter("budget", analysis)("<i>budget</i>")) == "&lt;i&gt;<mark>budget</mark>&lt;/i&gt;"


def test_the_report_page_has_goal_headings_and_named_anchors(client):
    html = page(client, "/dokument/ks-tertialrapport-1-2020")
    # A goal's heading is its passage: hits, answers and /mal link to that anchor.
    assert re.search(r'<h3 class="goalhead depth-1" id="p-ks-tertialrapport-1-2020-\d+"[^>]*><span class="level">KF:s mål '
                     r'för verksamhetsområdet</span>\s*<span class="num">1\.2</span> Stockholm är en trygg', html)
    labels = re.findall(r'class="anchor" href="#p-[^"]+" aria-label="([^"]+)"', html)
    assert len(labels) > 200 and "Länk till stycket: Aktivitet, under mål 1.2, rad 160–161" in labels
    targets = re.findall(r'<a href="#((?:mal|p)-[^"]+)">', html)
    assert len(targets) > 20
    for target in targets:
        assert f'id="{target}"' in html  # every entry of the contents leads somewhere


def test_more_like_this_page(client):
    hit = client.get("/api/search?q=krigsorganisation").get_json()["hits"][0]
    html = page(client, f"/liknande/{hit['id']}")
    assert "<h1>Stycken som liknar det valda</h1>" in html and html.count('<li class="hit">') >= 1
    assert "Sidan finns inte" in page(client, "/liknande/saknas-1", 404)


def test_the_atom_feed_of_a_search(client):
    import xml.etree.ElementTree as ET

    html = page(client, "/sok?q=trygghet&namnd=Kommunstyrelsen")
    assert '<link rel="alternate" type="application/atom+xml" title="Nya träffar för trygghet" ' \
           'href="/sok.atom?q=trygghet&amp;namnd=Kommunstyrelsen">' in html
    r = client.get("/sok.atom?q=trygghet&namnd=Kommunstyrelsen")
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(r.data)
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name", "a:link[@rel='self']"):
        assert feed.find(required, ns) is not None, required
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 10
    dates = [e.find("a:updated", ns).text for e in entries]
    assert dates == sorted(dates, reverse=True) and feed.find("a:updated", ns).text == dates[0]
    for e in entries:
        assert e.find("a:id", ns).text.startswith("http://127.0.0.1:8000/dokument/ks-")
        assert e.find("a:link", ns).get("href").startswith("http://127.0.0.1:8000/dokument/ks-")
    assert any("<mark>" in e.find("a:summary", ns).text for e in entries)  # HTML carried as text, escaped once
    hostile = ET.fromstring(client.get("/sok.atom?q=%3Cx%3E+budget").data)
    assert hostile.find("a:title", ns).text == "Rapportsök: <x> budget"


def test_accessibility_statement(client):
    html = page(client, "/tillganglighet")
    assert "<h1>Tillgänglighet för Rapportsök</h1>" in html and "WCAG 2.1" in html and "DIGG" in html
    assert 'href="/tillganglighet">Tillgänglighet</a>' in page(client, "/")


def test_history_pages_count_in_swedish_and_page(client):
    assert "<strong>1</strong> aktivitet." in page(client, "/aktiviteter?q=klotter")
    html = unescape(page(client, "/aktiviteter"))
    assert "Sida 1 av" in html and 'href="/aktiviteter?limit=20&offset=20"' not in html
    assert 'rel="next" href="/aktiviteter?offset=20"' in html
    bad = page(client, "/aktiviteter?deviation=kanske", 400)
    assert "Avvikelse måste vara ja eller nej" in bad and 'id="hq"' in bad


def test_charts_join_only_comparable_periods_and_label_the_y_axis(client):
    from app.charts import chart_svg

    html = page(client, "/indikatorer?q=sjukfr%C3%A5nvaro")
    chart = html[html.index('<figure class="chart">'):html.index("</figure>")]
    assert "Utfall (%)</text>" in chart and "<a " not in chart.split("</svg>")[0]
    assert "● Kommunstyrelsen, tertial 1" in chart and "● Kommunstyrelsen, tertial 2" in chart
    assert "<polyline" not in chart  # Tertial 2 2015 and Tertial 1 2020 are not one line

    def occurrence(year: int, outcome: float) -> dict:
        doc = {"namnd": "Kommunstyrelsen", "year": year, "period": f"Tertial 1 {year}"}
        return {"doc": doc, "period": str(year), "outcome": f"{outcome} dagar", "numbers": {"outcome": outcome},
                "url": f"/dokument/d{year}#p-1"}

    svg = chart_svg({"name": "Sjukdagar", "occurrences": [occurrence(2019, 3.0), occurrence(2020, 4.0)]})
    assert svg.count("<polyline") == 1 and "Utfall (dagar)" in svg
    assert '<li><a href="/dokument/d2020#p-1">Kommunstyrelsen, Tertial 1 2020: 4.0 dagar</a></li>' in svg


def test_a_hit_carries_its_search_to_the_report_and_back(client):
    html = unescape(page(client, "/sok?q=trygghet&year=2020&offset=10"))
    link = re.search(r'class="open" href="(/dokument/[^"]+)"', html).group(1)
    assert link.startswith("/dokument/") and "?q=trygghet&year=2020&offset=10#p-" in link
    report = unescape(page(client, link.split("#")[0]))
    assert '<a href="/sok?q=trygghet&year=2020&offset=10">← Tillbaka till träffarna' in report


def test_a_query_the_index_cannot_take_keeps_the_page(client):
    html = page(client, "/sok?q=a*", 400)
    assert 'class="notice error" role="alert">Sökfrågan har ”a”, som är för brett' in html and 'value="a*"' in html


def test_passages_lacking_words_are_shown_apart_and_say_which(client):
    html = page(client, "/sok?q=krigsorganisation+pingvin")
    assert '<h2 id="nearest-title">Stycken som saknar några av orden</h2>' in html
    assert "Saknar: <s>pingvin</s>" in html
    assert "Sökte på <q>förskola södermalm</q>, med å, ä och ö." in page(client, "/sok?q=forskola+sodermalm")


def test_a_question_on_the_results_page_is_searched_once(client, monkeypatch):
    import app.data
    import indexer.query.answers

    calls = []
    real = app.data.search
    monkeypatch.setattr(app.data, "search", lambda *a, **kw: calls.append(a[1].q) or real(*a, **kw))
    monkeypatch.setattr(indexer.query.answers, "search", lambda *a, **kw: pytest.fail("the answer searched again"))
    page = client.get("/sok", query_string={"q": "Hur många naturreservat finns inom stadsdelsområdet?"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ('aria-label="Inget säkert svar"' in html or 'class="answer"' in html)
    assert len(calls) == 1


def test_a_400_page_keeps_no_chip_or_link_for_the_argument_it_dropped(client):
    html = unescape(page(client, "/sok?q=trygghet&namnd=Kommunstyrelsen&year_from=20", 400))
    assert "Från år måste vara ett årtal" in html and "Ta bort avgränsningen Nämnd: Kommunstyrelsen" in html
    assert "year_from=20" not in html and "Årtal: 20" not in html


def test_exports_and_the_feed_are_offered_only_where_there_are_hits(client):
    html = page(client, "/sok?q=xyzzyqwerty")
    assert "/api/search.csv" not in html and "sok.atom" not in html
    assert "/api/search.csv" in page(client, "/sok?q=budget")


def test_a_favicon_and_the_syntax_help(client):
    assert 'rel="icon"' in page(client, "/")
    for url in ("/favicon.ico", "/static/favicon.svg"):
        with client.get(url) as r:
            assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "Sökhjälp" in page(client, "/") and "Sökhjälp" in page(client, "/sok?q=budget")


def test_operators_on_the_page_and_in_the_api(client):
    lower = client.get("/api/search?q=investeringar eller underskott").get_json()
    assert lower["operator_hint"] == "investeringar ELLER underskott"
    html = unescape(page(client, "/sok?q=investeringar+eller+underskott"))
    assert 'Menade du <a href="/sok?q=investeringar+ELLER+underskott">investeringar ELLER underskott</a>?' in html
    either = client.get("/api/search?q=investeringar OR underskott").get_json()
    alone = client.get("/api/search?q=investeringar").get_json()
    assert either["total"] >= alone["total"] and not any(h["missing"] for h in either["hits"])
    refused = client.get("/api/search?q=OCH")
    assert refused.status_code == 400 and "behöver ett sökord på var sida" in refused.get_json()["error"]
    assert "behöver ett sökord på var sida" in page(client, "/sok?q=INTE+budget", 400)


def test_a_list_answer_is_shown_once_and_a_word_in_no_report_is_named(client):
    html = unescape(page(client, "/sok?q=Vilka+aktiviteter+hade+avvikelse+i+tertialrapport+1+2020%3F"))
    box = re.search(r'<section class="answer".*?</section>', html, re.S)[0]
    assert box.count("ta fram en plan för krigsorganisation och krigsplacering av personal") == 1
    assert box.count("<li>") == 4 and "4 aktiviteter med avvikelse" in box
    html = unescape(page(client, "/sok?q=Hur+mycket+kostade+Eurovision+2020%3F"))
    assert "Rapporterna nämner inte Eurovision." in html
    assert client.get("/api/ask?q=Hur mycket kostade Eurovision 2020?").get_json()["note"].startswith(
        "Rapporterna nämner inte Eurovision.")


def test_menade_du_beside_hits(client):
    data = client.get("/api/search?q=budget ELLER trygghetsmedl").get_json()
    assert data["total"] > 0 and data["suggestion"] == "budget ELLER trygghetsmedel"
