// Small conveniences where JavaScript runs; every page works without this file.
"use strict";
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  // Sorting applies as soon as another order is chosen; the button is for pages without script.
  select.addEventListener("change", () => select.form.submit());
  const button = select.form.querySelector("button[type=submit]");
  if (button) button.hidden = true;
});
// The filter panel starts open where there is room for it beside the hits, and on a phone after
// a choice made in it (its links lead to #avgransa), so the next choice is one tap away.
document.querySelectorAll("details[data-open-wide]").forEach((panel) => {
  if (window.matchMedia("(min-width: 48rem)").matches || window.location.hash === "#" + panel.id) panel.open = true;
});
// A report page: next/previous through the marked words, and a citation of the passage in view.
const marks = [...document.querySelectorAll(".document mark")];
const marknav = document.querySelector(".marknav");
if (marknav) {
  const count = marknav.querySelector("[data-count]");
  let at = -1;  // the match shown; before any is shown, the one before where reading starts
  let shown = false;
  const show = (i) => {
    if (shown) marks[at].classList.remove("current");
    at = (i + marks.length) % marks.length;
    shown = true;
    marks[at].classList.add("current");
    marks[at].scrollIntoView({block: "center"});
    count.textContent = `Träff ${at + 1} av ${marks.length}`;
  };
  marknav.hidden = false;
  if (marks.length === 0) {
    count.textContent = "Inga träffar i rapporten";
    marknav.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  } else {
    count.textContent = `${marks.length} träffar`;
    // Opened at a passage: the next match is the first in or after it.
    const target = document.querySelector(":target");
    if (target) {
      const i = marks.findIndex((m) => target.contains(m)
                                       || target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
      at = (i < 0 ? marks.length : i) - 1;
    }
    marknav.querySelectorAll("button").forEach((b) => {
      b.addEventListener("click", () => show(b.dataset.step > 0 ? at + 1 : shown ? at - 1 : at));
    });
  }
}
const citer = document.querySelector(".citer");
if (citer) {
  const doc = document.querySelector("article.document").dataset;
  const status = citer.querySelector("[data-copied]");
  citer.hidden = false;
  citer.querySelector("button").addEventListener("click", async () => {
    // The passage the address names (a hit, a goal, a # link), else the report as a whole.
    const target = document.querySelector(":target");
    const anchor = target && target.querySelector(".anchor");
    const place = target && (target.dataset.place
      || (anchor && anchor.getAttribute("aria-label").replace(/^Länk till stycket: /, "")));
    const parts = [doc.title, doc.dnr && `Dnr ${doc.dnr}`, doc.date, place].filter(Boolean);
    const text = parts.join(", ") + ` (${location.origin}${location.pathname}${target ? location.hash : ""})`;
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = `Kopierat: ${text}`;
    } catch (err) {
      status.textContent = `Källhänvisning: ${text}`;
    }
  });
}
