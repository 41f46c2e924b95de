"""WCAG 2.1 A/AA on every page type, checked by axe-core (npm, pinned in package.json) run inside
Debian's chromium (best-practice rules included), plus what axe cannot see: a skip link that works and an h1 on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import needs_chromium

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [needs_chromium, pytest.mark.slow]
needs_axe = pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run `npm ci` at the root")

PAGES = {
    "home": "/",
    "results": "/sok?q=trygghet&year=2020",
    "results, a later page": "/sok?q=budget&limit=20&offset=40",
    "results with a hint": "/sok?q=investeringar+eller+underskott",
    "results with an answer": "/sok?q=Hur+mycket+beviljades+i+trygghetsmedel+under+f%C3%B6rsta+tertialet+2020%3F",
    "no results": "/sok?q=xyzzyqwerty",
    "results lacking a word": "/sok?q=krigsorganisation+pingvin",
    "bad parameter": "/sok?q=budget&year_from=20",
    "report": "/dokument/ks-tertialrapport-1-2020?q=krigsorganisation#p-ks-tertialrapport-1-2020-160",
    "report without a search": "/dokument/sodermalm-tertialrapport-1-2020",
    "activities": "/aktiviteter",
    "indicators": "/indikatorer?q=sjukfr%C3%A5nvaro",
    "goals": "/mal",
    "more like this": "/liknande/ks-tertialrapport-1-2020-39",
    "error page": "/finns/inte",
    "accessibility statement": "/tillganglighet",
}


def axe_violations(tab) -> list[dict]:
    tab.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the test, so the page's CSP stays in force
    return tab.evaluate("""async () => {
        const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        const where = v => v.nodes.slice(0, 3).map(n => n.target.join(' '));
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: where(v)}));
    }""")


@needs_axe
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_violations(server, browser, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(server + PAGES[name])
    assert axe_violations(tab) == []
    assert tab.locator("h1").count() == 1
    context.close()


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_content(server, page):
    page.goto(server + "/sok?q=trygghet")
    shown = "(e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"
    assert not page.evaluate(f"{shown}(document.querySelector('a.skip'))")  # out of sight until focused
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Till innehållet"
    assert page.evaluate(f"{shown}(document.activeElement)")  # in sight when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"  # the content has the focus
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")  # and Tab goes on inside it


CONTRAST = """() => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const lum = c => { const [r, g, b] = rgb(c).map(channel);
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const behind = e => { for (let p = e.parentElement; p; p = p.parentElement) {
        const c = getComputedStyle(p).backgroundColor; if (!c.endsWith(', 0)') && c !== 'transparent') return c; }
        return 'rgb(255, 255, 255)'; };
    return [...document.querySelectorAll('input:not([type=hidden]), select, button, summary')]
      .filter(e => e.offsetParent !== null).map(e => {
        const s = getComputedStyle(e);
        const edge = parseFloat(s.borderTopWidth) > 0 ? s.borderTopColor : s.backgroundColor;
        return [e.id || e.name || e.textContent.trim(), Math.round(ratio(edge, behind(e)) * 100) / 100];
      });
}"""


@pytest.mark.parametrize("url", ["/", "/sok?q=trygghet", "/aktiviteter"])
def test_every_control_stands_out_at_least_3_to_1(server, page, url):
    page.goto(server + url)
    controls = page.evaluate(CONTRAST)
    assert controls and [c for c in controls if c[1] < 3] == []


def test_every_field_and_choice_has_a_visible_label(server, page):
    page.goto(server + "/aktiviteter")
    for field in ("#hq", "#dev"):
        label = page.locator(f"label[for={field[1:]}]")
        assert label.is_visible() and label.inner_text().strip()
    page.goto(server + "/sok?q=trygghet")
    for field in ("#year_from", "#year_to", "#sort"):
        assert page.locator(f"label[for={field[1:]}]").is_visible()
