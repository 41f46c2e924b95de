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
