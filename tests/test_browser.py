"""The search flow in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import re

import pytest
from conftest import needs_chromium

pytestmark = [needs_chromium, pytest.mark.slow]


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
    page.wait_for_url("**/dokument/ks-tertialrapport-1-2020?q=*#p-*")
    target = page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
    assert target == page.url.split("#")[1]
    passage = page.locator(f"#{target}")
    assert passage.is_visible() and "krigsorganisation" in passage.inner_text()
    top = passage.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 900  # scrolled into view


def test_apply_a_facet(server, page):
    page.goto(server + "/sok?q=trygghet")
    page.locator("section.facet", has=page.get_by_role("heading", name="År", exact=True)).get_by_role(
        "link", name="2015", exact=True).click()
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
    assert payload.strip() in page.locator("h1.total q").inner_text()
    assert page.input_value("#q-top") == payload


def test_results_read_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(server + "/sok?q=trygghetsmedel+2020")
    assert tab.locator("li.hit").first.is_visible()
    for url in ("/sok?q=trygghetsmedel+2020", "/dokument/ks-tertialrapport-1-2020?q=klotter", "/aktiviteter",
                "/indikatorer", "/mal", "/tillganglighet"):
        tab.goto(server + url)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, url  # nothing wider than the screen
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
    chart = page.locator("figure.chart").first
    assert chart.is_visible() and chart.locator("circle").count() >= 2
    assert chart.locator("svg a").count() == 0  # nothing interactive inside the picture
    chart.locator("ul.points a").first.click()
    page.wait_for_url("**/dokument/**#p-*")
    target = page.url.split("#")[1]
    assert "Sjukfrånvaro" in page.locator(f"#{target}").inner_text()


def test_the_report_page_marks_the_query_and_shows_where_the_passage_stands(server, page):
    page.goto(server + "/sok?q=krigsorganisation")
    page.locator("li.hit").first.get_by_text("Visa i rapporten").click()
    page.wait_for_url("**/dokument/**?q=krigsorganisation#p-*")
    target = page.locator(":target")
    assert target.locator("mark").first.inner_text().lower().startswith("krigsorganisation")
    assert re.search(r"rad 160(–\d+)? i textfilen", target.locator(".context").inner_text())
    # The goal the passage stands under is the heading above it, not only in the tree at the top.
    heading = target.evaluate("e => { let h = e.previousElementSibling; while (h && !h.matches('h3.goalhead'))"
                              " h = h.previousElementSibling; return h && h.innerText; }")
    assert heading and "Stockholm är en trygg, säker och välskött stad" in heading
    assert page.locator(".passage .anchor").first.get_attribute("aria-label").startswith("Länk till stycket: ")
    back = page.get_by_role("link", name="Tillbaka till träffarna")
    assert back.is_visible()  # the bar stays at the top while reading
    back.click()
    page.wait_for_url("**/sok?q=krigsorganisation")


def test_the_goal_tree_is_a_table_of_contents(server, page):
    page.goto(server + "/dokument/ks-tertialrapport-1-2020")
    page.locator(".goaltree a", has_text="Stockholm är en trygg, säker och välskött stad").first.click()
    page.wait_for_url("**#p-*")  # the goal's own passage, drawn as its heading
    goal = page.locator(":target")
    assert goal.evaluate("e => e.tagName") == "H3" and "trygg, säker" in goal.inner_text()
    assert 0 <= goal.evaluate("e => e.getBoundingClientRect().top") < 900


def test_on_a_phone_the_filters_are_a_panel_above_the_hits_and_chips_say_what_is_on(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(server + "/sok?q=trygghet&year=2020&kind=analysis")
    panel = tab.locator("details.filters")
    assert panel.get_attribute("open") is None  # closed: the hits come first on a small screen
    hits_top = tab.locator("li.hit").first.evaluate("e => e.getBoundingClientRect().top")
    assert panel.evaluate("e => e.getBoundingClientRect().top") < hits_top < 844
    chips = tab.locator(".chips li a")
    assert chips.all_inner_texts()[:2] == ["År: 2020 ✕", "Avsnitt: Analys ✕"]
    chips.first.click()
    tab.wait_for_url("**/sok?q=trygghet&kind=analysis")
    tab.locator("details.filters summary").click()
    tab.locator("section.facet", has_text="Nämnd").get_by_role("link").first.click()
    tab.wait_for_url("**namnd=*")
    context.close()


def test_sorting_applies_on_change_with_script_and_by_button_without(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(server + "/sok?q=budget")
    assert not tab.locator("form.sort button").is_visible()
    tab.select_option("#sort", "date")
    tab.wait_for_url("**sort=date*")
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(server + "/sok?q=budget")
    tab.select_option("#sort", "date_asc")
    assert "sort=" not in tab.url
    tab.locator("form.sort button").click()
    tab.wait_for_url("**sort=date_asc*")
    context.close()


def test_a_bad_year_is_said_in_swedish_and_the_results_stay(server, page):
    page.goto(server + "/sok?q=budget&year_from=20")
    assert page.locator(".notice.error").inner_text() == (
        "Från år måste vara ett årtal mellan 1900 och 2100, inte 20. Träffarna visas utan den avgränsningen.")
    assert page.locator("li.hit").count() > 0 and page.input_value("#q-top") == "budget"
    page.goto(server + "/sok?q=budget&year_from=2020&year_to=2015")
    assert "Årtalen var omkastade. Visar åren 2015–2020." in page.locator(".notice").inner_text()
    years = {t.split(" · ")[1] for t in page.locator("li.hit .doc").all_inner_texts()}
    assert years and years <= {"2015", "2020"}


def test_more_like_this_from_a_hit(server, page):
    page.goto(server + "/sok?q=krigsorganisation")
    page.locator("li.hit").first.get_by_role("link", name="Fler liknande").click()
    page.wait_for_url("**/liknande/*")
    assert page.locator("h1").inner_text() == "Stycken som liknar det valda"
    assert page.locator("li.hit").count() > 0


def test_a_report_prints_without_forms_or_filters_and_with_link_addresses(server, page):
    page.goto(server + "/sok?q=trygghet")
    page.emulate_media(media="print")
    assert not page.locator("form.search").first.is_visible()
    assert not page.locator("details.filters").is_visible()
    assert page.locator("a.open").first.is_visible() and not page.locator("a.similar").first.is_visible()
    after = page.locator("a.open").first.evaluate("e => getComputedStyle(e, '::after').content")
    assert "/dokument/" in after


def test_history_pages_are_paged(server, page):
    page.goto(server + "/aktiviteter")
    assert page.locator("section.group").count() == 20
    page.get_by_role("link", name="Nästa →").click()
    page.wait_for_url("**/aktiviteter?*offset=20*")
    assert "Sida 2 av" in page.locator("nav.pager").inner_text()


def test_a_goal_link_lands_on_the_goal_it_names(server, page):
    # From the cross-year view: the row's report opens at the goal's heading, not at the top.
    page.goto(server + "/mal?q=trygg")
    title = page.locator("section.group h2").first.inner_text()
    page.locator("section.group").first.locator("tbody a").first.click()
    page.wait_for_url("**/dokument/**#p-*")
    goal = page.locator(":target")
    assert goal.evaluate("e => e.tagName") == "H3" and title in goal.inner_text()
    assert 0 <= goal.evaluate("e => e.getBoundingClientRect().top") < 900
    # From a goal hit, with the search: the heading holds the goal and marks the query's word.
    page.goto(server + "/sok?q=trygg&kind=goal")
    hit = page.locator("li.hit").first
    title = hit.locator(".goalpath li").last.evaluate(
        "e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()")
    hit.get_by_text("Visa i rapporten").click()
    page.wait_for_url("**/dokument/**?q=trygg*#p-*")
    goal = page.locator(":target")
    assert goal.evaluate("e => e.tagName") == "H3" and title in goal.inner_text()
    assert goal.locator("mark").first.inner_text().lower().startswith("trygg")


def test_operators_in_the_browser_with_a_hint_for_a_lowercase_one(server, page):
    page.goto(server + "/sok?q=investeringar+eller+underskott")
    page.locator("p.operator").get_by_role("link").click()
    page.wait_for_url("**q=investeringar+ELLER+underskott*")
    either = int(page.locator("h1.total strong").inner_text())
    page.goto(server + "/sok?q=investeringar")
    assert either >= int(page.locator("h1.total strong").inner_text())
    page.goto(server + "/sok?q=OCH")
    assert "behöver ett sökord på var sida" in page.locator(".notice.error").inner_text()
    page.locator("details.syntax summary").click()
    assert "ELLER" in page.locator("details.syntax").inner_text()


def test_answers_list_once_and_name_a_word_in_no_report(server, page):
    page.goto(server + "/sok?q=Vilka+aktiviteter+hade+avvikelse+i+tertialrapport+1+2020%3F")
    box = page.locator("section.answer")
    assert box.locator("li").count() == 4 and box.inner_text().count("krigsorganisation och krigsplacering") == 1
    page.goto(server + "/sok?q=Hur+mycket+kostade+Eurovision+2020%3F")
    assert "Rapporterna nämner inte Eurovision." in page.locator("section.answer").inner_text()


def test_on_a_phone_the_filter_panel_stays_open_after_a_choice(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(server + "/sok?q=trygghet")
    tab.locator("details.filters summary").click()
    tab.locator("section.facet", has=tab.get_by_role("heading", name="År", exact=True)).get_by_role("link").first.click()
    tab.wait_for_url("**year=*#avgransa")
    assert tab.locator("details.filters").get_attribute("open") is not None
    context.close()


def test_the_first_hit_is_four_keys_away(server, page):
    page.goto(server + "/sok?q=trygghet")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Till träffarna"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('li.hit') !== null")
    assert focused


def test_page_size_numbered_pager_and_no_exports_without_hits(server, page):
    page.goto(server + "/sok?q=budget")
    page.select_option("#limit", "20")
    page.wait_for_url("**limit=20*")
    assert page.locator("ol.hitlist > li.hit").count() == 20
    page.locator("nav.pager").get_by_role("link", name="Sida 3").click()
    page.wait_for_url("**offset=40*")
    assert page.locator("nav.pager [aria-current=page]").inner_text() == "3"
    assert page.locator("ol.hitlist").get_attribute("start") == "41"
    page.goto(server + "/sok?q=xyzzyqwerty")
    assert page.locator("p.export").count() == 0
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(server + icon).status == 200


def test_a_400_page_drops_the_chip_of_the_filter_it_dropped(server, page):
    page.goto(server + "/sok?q=trygghet&kind=analysis&year_from=20")
    chips = page.locator(".chips li a").all_inner_texts()
    assert chips == ["Avsnitt: Analys ✕"]


def test_hits_name_their_report_count_and_lead_to_the_report_alone(server, page):
    page.goto(server + "/sok?q=budget")
    link = page.locator("a.in-report").first
    n = int(link.inner_text().split()[0])
    link.click()
    page.wait_for_url("**doc_id=*")
    assert int(page.locator("h1.total strong").inner_text()) == n
