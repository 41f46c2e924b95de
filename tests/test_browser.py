"""The search flow in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import pytest

from browser_support import browser, needs_chromium, page, server  # noqa: F401 (fixtures)

pytestmark = needs_chromium


def test_type_a_query_and_follow_a_result_to_its_passage(server, page):
    page.goto(server + "/")
    page.fill("#q", "krigsorganisation krigsplacering")
    page.press("#q", "Enter")
    page.wait_for_url("**/sok?q=*")
    hits = page.locator("li.hit")
    assert hits.count() > 0
    first = hits.first
    assert "Tertialrapport 1 2020 för kommunstyrelsen" in first.inner_text()
    assert "Avvikelse" in first.inner_text() and "Uppfylls helt" in first.inner_text()
    assert first.locator("mark").count() > 0
    first.get_by_text("Visa i rapporten").click()
    page.wait_for_url("**/dokument/ks-tertialrapport-1-2020#p-*")
    target = page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
    assert target == page.url.split("#")[1]
    passage = page.locator(f"#{target}")
    assert passage.is_visible() and "krigsorganisation" in passage.inner_text()
    top = passage.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 900  # scrolled into view


def test_apply_a_facet(server, page):
    page.goto(server + "/sok?q=trygghet")
    page.locator("section.facet", has_text="År").get_by_role("link", name="2015").click()
    page.wait_for_url("**year=2015*")
    texts = page.locator("li.hit .context").all_inner_texts()
    assert texts and all("2015" in t for t in texts)
    assert page.locator("a.chosen").inner_text().strip().endswith("2015")


def test_a_script_typed_in_the_box_is_shown_as_text_and_never_runs(server, page):
    payload = "<script>window.__xss = 1; alert('xss')</script><img src=x onerror=alert(2)> budget"
    page.goto(server + "/")
    page.fill("#q", payload)
    page.press("#q", "Enter")
    page.wait_for_url("**/sok?q=*")
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert payload.strip() in page.locator("p.total q").inner_text()
    assert page.input_value("#q-top") == payload


def test_results_read_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(server + "/sok?q=trygghetsmedel+2020")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the screen
    assert tab.locator("li.hit").first.is_visible()
    context.close()


def test_a_question_gets_an_answer_box_citing_its_passage(server, page):
    page.goto(server + "/")
    page.fill("#q", "Hur mycket beviljades i trygghetsmedel under första tertialet 2020?")
    page.press("#q", "Enter")
    page.wait_for_url("**/sok?q=*")  # the box is looked for on the results page, not the home page
    box = page.locator("section.answer")
    assert box.is_visible()
    assert box.locator("mark").inner_text() == "26,1 mnkr"
    box.get_by_role("link").first.click()
    page.wait_for_url("**/dokument/ks-tertialrapport-1-2020#p-*")
    target = page.url.split("#")[1]
    assert "26,1 mnkr" in page.locator(f"#{target}").inner_text()


def test_history_pages_render_and_link_to_passages(server, page):
    page.goto(server + "/sok?q=handlingsplan+klotter")
    page.locator("a.history").first.click()
    page.wait_for_url("**/aktiviteter?q=*")
    rows = page.locator("section.group").first.locator("tbody tr")
    assert rows.count() == 2
    page.goto(server + "/indikatorer?q=sjukfr%C3%A5nvaro")
    chart = page.locator("svg.chart").first
    assert chart.is_visible() and chart.locator("circle").count() >= 2
    chart.locator("a").first.click()
    page.wait_for_url("**/dokument/**#p-*")
    target = page.url.split("#")[1]
    assert "Sjukfrånvaro" in page.locator(f"#{target}").inner_text()
