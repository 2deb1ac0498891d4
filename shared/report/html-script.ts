// The page's only script, inlined and allowed by its hash in the CSP. It adds what needs
// JavaScript — filters, sort buttons, Copy buttons — to a page that is complete without it, so
// it only reveals controls (rendered `hidden`) and never builds content from report data.
export const SCRIPT = `"use strict";
(function () {
  var table = document.getElementById("findings-table");
  var form = document.getElementById("filters");
  if (!table || !form) return;
  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

  var bodies = function () { return Array.prototype.slice.call(table.tBodies); };
  var total = bodies().length;
  var shown = document.getElementById("shown");

  function applyFilters() {
    var f = form.elements;
    var kind = f.kind.value, severity = f.severity.value, registry = f.registry.value, cluster = f.cluster.value;
    var text = f.q.value.trim().toLowerCase();
    var count = 0;
    bodies().forEach(function (b) {
      var ok = (!kind || b.dataset.kind === kind) &&
        (!severity || b.dataset.severity === severity) &&
        (!registry || b.dataset.registries.split(" ").indexOf(registry) >= 0) &&
        (!cluster || b.dataset.clusters.split(" ").indexOf(cluster) >= 0) &&
        (!text || b.textContent.toLowerCase().indexOf(text) >= 0);
      b.hidden = !ok;
      if (ok) count += 1;
    });
    shown.textContent = count === total ? "Showing all " + total + " findings" : "Showing " + count + " of " + total + " findings";
  }
  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // The reset event comes before the fields are reset.
  form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });

  // Findings without an expiry sort after the rest in either direction; "#" breaks ties.
  var keys = {
    n: function (b) { return Number(b.dataset.n); },
    severity: function (b) { return Number(b.dataset.rank); },
    days: function (b) { return b.dataset.days === "" ? null : Number(b.dataset.days); },
    subject: function (b) { return b.dataset.subject.toLowerCase(); }
  };
  function sortBy(th, key, dir) {
    var get = keys[key];
    var sorted = bodies().sort(function (a, b) {
      var x = get(a), y = get(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      var c = typeof x === "string" ? x.localeCompare(y) : x - y;
      return c * dir || Number(a.dataset.n) - Number(b.dataset.n);
    });
    sorted.forEach(function (b) { table.appendChild(b); });
    table.querySelectorAll("th[data-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }
  table.querySelectorAll("th[data-sort]").forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    button.setAttribute("aria-label", "Sort by " + th.textContent);
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(th, th.dataset.sort, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
    });
  });

  function flash(button, text) {
    button.textContent = text;
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-copy]");
    if (!button) return;
    var code = document.getElementById(button.dataset.copy);
    var selectCode = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      flash(button, "Selected: press Ctrl+C");
    };
    if (!navigator.clipboard) return selectCode();
    navigator.clipboard.writeText(code.textContent).then(function () { flash(button, "Copied"); }, selectCode);
  });

  // Print everything: closed disclosures open (hidden rows are shown by the print CSS).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
`;
