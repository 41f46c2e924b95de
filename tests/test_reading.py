"""Reading a report in chromium: every link lands on the passage it cites, cited lines hold the
text, the query's words are marked as search matches them, matches can be stepped through, a
citation copied, and "Över åren" leads to a history."""

from __future__ import annotations

import re
from urllib.parse import quote

from conftest import CORPUS, needs_chromium
from rapidfuzz import fuzz

from indexer.patterns import word_key

pytestmark = needs_chromium

# Our own words, one or two a query, and a few questions of our own (their answers cite a passage).
QUERIES = ["förskola", "klotter", "sjukfrånvaro", "trygghetsmedel", "budgetföljsamhet", "ekonomi i balans",
           "hemlöshet", "feriejobb", "upphandling", "avvikelse", "investeringar", "krisberedskap",
           "medskapandeindex", "bostäder", "äldreomsorg", "digitalisering", "underskott", "energi",
           "Uppfylls målet om en trygg stad?", "Hur många feriejobb fanns det?"]

# Each element with an id on a report page, and its text (one visit per report).
TEXTS = "() => Object.fromEntries([...document.querySelectorAll('[id^=p-]')].map(e => [e.id, e.textContent]))"


def _near(cited: str, shown: str) -> bool:
    """The cited text stands in the element (as printed: case, spacing and punctuation aside)."""
    cited, shown = word_key(cited), word_key(shown)
    return cited in shown or fuzz.partial_ratio(cited, shown) >= 90


class Landing:
    """Checks links into report pages against what each report page holds, reading each once."""

    def __init__(self, server, tab):
        self.server, self.tab, self.pages = server, tab, {}

    def check(self, href: str, cited: str) -> str | None:
        """None when the link lands on an element holding the cited text, else why not."""
        m = re.match(r"(?:https?://[^/]+)?/dokument/([^?#]+)[^#]*#(.+)$", href)
        if not m:
            return f"{href}: leads to no passage"
        doc, anchor = m.groups()
        if doc not in self.pages:
            self.tab.goto(f"{self.server}/dokument/{doc}")
            self.pages[doc] = self.tab.evaluate(TEXTS)
        shown = self.pages[doc].get(anchor)
        if shown is None:
            return f"{href}: no element #{anchor}"
        return None if _near(cited, shown) else f"{href}: #{anchor} does not hold {cited[:60]!r}"


def test_every_link_to_a_passage_lands_on_an_element_holding_the_cited_text(server, page, browser):
    tab = browser.new_page()
    landing = Landing(server, tab)
    wrong, checked = [], 0
    for what in ("mal", "aktiviteter", "indikatorer"):
        page.goto(f"{server}/{what}?limit=500")
        groups = page.evaluate("""() => [...document.querySelectorAll('section.group')].map(g => [
            g.querySelector('h2').innerText,
            [...g.querySelectorAll('td a, ul.points a')].map(a => a.href)])""")
        assert groups, what
        for cited, links in groups:
            for href in links:
                checked += 1
                if (why := landing.check(href, cited)) is not None:
                    wrong.append(why)
    hits = 0
    for q in QUERIES:
        page.goto(f"{server}/sok?q={quote(q)}&limit=50")
        # Each hit's "Visa i rapporten" with its passage's text as the page shows it (each part of
        # the snippet), and an answer's source.
        found = page.evaluate("""() => [...document.querySelectorAll('li.hit')].map(h => [
            h.querySelector('a.open').href, h.querySelector('.snippet').innerText])""")
        found += page.evaluate("""() => [...document.querySelectorAll('section.answer a[href*="#p-"]')]
            .map(a => [a.href, ''])""")
        hits += len(found)
        for href, snippet in found:
            for part in [p.strip(" …") for p in snippet.split(" … ")]:
                checked += 1
                if (why := landing.check(href, part)) is not None:
                    wrong.append(f"{q}: {why}")
    tab.close()
    assert hits >= 150 and checked >= 700
    assert wrong == []


def test_cited_lines_are_the_lines_the_text_stands_on(server, page):
    page.goto(server + "/sok?q=" + quote("analyser inom trygghetsområdet"))
    page.locator("li.hit").first.get_by_text("Visa i rapporten").click()
    page.wait_for_url("**/dokument/ks-tertialrapport-1-2020?*#p-*")
    target = page.locator(":target")
    where = re.search(r"rad (\d+)(?:–(\d+))? i textfilen", target.locator(".where").inner_text())
    first, last = int(where.group(1)), int(where.group(2) or where.group(1))
    lines = (CORPUS / "ks-tertialrapport-1-2020.txt").read_text(encoding="utf-8").split("\n")
    text = target.locator("p:not(.context):not(.more)").first.inner_text()
    assert text[:50] in lines[first - 1] and last - first < 6
    assert word_key(text)[:200] in word_key(" ".join(lines[first - 1:last]))


def test_only_the_querys_words_are_marked_and_can_be_stepped_through(server, page):
    page.goto(server + "/dokument/ks-tertialrapport-1-2020?q=trygghetsmedel+2020")
    marks = page.locator(".document mark").all_inner_texts()
    assert "2020" in marks and any(m.lower().startswith("trygghetsmed") for m in marks)
    assert {m.lower() for m in marks} <= {"2020", "trygghetsmedel", "trygghetsmedlen"}
    count = page.locator(".marknav [data-count]")
    assert count.inner_text() == f"{len(marks)} träffar"
    nxt = page.get_by_role("button", name="Nästa träff")
    nxt.focus()
    page.keyboard.press("Enter")
    assert count.inner_text() == f"Träff 1 av {len(marks)}"
    page.keyboard.press("Enter")
    current = page.locator("mark.current")
    assert count.inner_text() == f"Träff 2 av {len(marks)}" and current.count() == 1
    assert 0 <= current.evaluate("e => e.getBoundingClientRect().top") < 900
    page.get_by_role("button", name="Föregående träff").click()
    assert count.inner_text() == f"Träff 1 av {len(marks)}"
    page.get_by_role("button", name="Föregående träff").click()
    assert count.inner_text() == f"Träff {len(marks)} av {len(marks)}"  # round to the last


def test_a_search_inside_the_report_marks_its_words(server, page):
    page.goto(server + "/dokument/sodermalm-tertialrapport-1-2020")
    page.fill("#q-doc", "hemlöshet")
    page.press("#q-doc", "Enter")
    page.wait_for_url("**/dokument/sodermalm-tertialrapport-1-2020?q=*")
    marks = page.locator(".document mark").all_inner_texts()
    assert marks and all(m.lower().startswith("hemlös") for m in marks)
    page.fill("#q-doc", "pingvinerna")
    page.press("#q-doc", "Enter")
    page.wait_for_url("**q=pingvinerna*")
    assert page.locator(".marknav [data-count]").inner_text() == "Inga träffar i rapporten"


def test_copy_a_citation_of_the_passage_read(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    tab = context.new_page()
    tab.goto(server + "/sok?q=" + quote("analyser inom trygghetsområdet"))
    tab.locator("li.hit").first.get_by_text("Visa i rapporten").click()
    tab.wait_for_url("**#p-*")
    where = tab.locator(":target .where").inner_text()
    tab.get_by_role("button", name="Kopiera källhänvisning").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    # The report's title (its Dnr and date where the report states them), the passage's place and
    # its address without the search.
    assert copied.startswith("Tertialrapport 1 2020 för kommunstyrelsen, Analys, under mål 1.2.1, rad ")
    assert where.replace(" i textfilen", "") in copied and re.sub(r"\?[^#]*", "", tab.url) in copied
    assert tab.locator(".citer [data-copied]").inner_text() == f"Kopierat: {copied}"
    context.close()


def test_over_the_years_leads_to_a_history_of_several_reports(server, page):
    page.goto(server + "/sok?q=klotter&limit=50")
    offered = page.locator("li.hit a.history")
    assert offered.count() >= 1
    passage = re.sub(r"\?[^#]*", "", offered.first.locator("xpath=ancestor::li").locator("a.open").get_attribute("href"))
    offered.first.click()
    page.wait_for_url("**/aktiviteter?q=*")
    group = page.locator("section.group", has=page.locator(f'a[href="{passage}"]'))
    assert group.count() == 1 and group.locator("tbody tr").count() >= 2
    # From the report page: an activity's "Över åren", and a goal's.
    page.goto(server + "/dokument/ks-tertialrapport-1-2020")
    link = page.locator(".passage a.history").first
    anchor = link.evaluate("e => e.closest('section.passage').id")
    link.click()
    page.wait_for_url(re.compile(r"/(aktiviteter|indikatorer)\?q="))
    group = page.locator("section.group", has=page.locator(f'a[href$="#{anchor}"]'))
    assert group.count() == 1 and group.locator("tbody tr").count() >= 2
    page.goto(server + "/dokument/ks-tertialrapport-1-2020")
    page.locator(".goalmore a.history").first.click()
    page.wait_for_url("**/mal?q=*")
    assert page.locator("section.group").first.locator("tbody tr").count() >= 2
