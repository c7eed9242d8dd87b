/* listing-audit HTML report: client-side filters, sortable tables, deep links.
   Plain DOM code, no libraries, no network; the page is complete without it. */
(function () {
  "use strict";
  var doc = document;
  var form = doc.getElementById("filters");
  var search = form && form.querySelector('input[name="q"]');
  var ruleSelect = form && form.querySelector('select[name="rule"]');
  var accepted = form && form.querySelector('input[name="accepted"]');
  var severityBoxes = form ? [].slice.call(form.querySelectorAll('input[name="severity"]')) : [];
  var findings = [].slice.call(doc.querySelectorAll(".finding"));
  var groups = [].slice.call(doc.querySelectorAll(".listing"));
  var rows = [].slice.call(doc.querySelectorAll("#listing-table tbody tr"));
  var shown = doc.getElementById("shown");
  var noMatch = doc.getElementById("no-match");

  // What the search box matches: the listing's title and the finding's own text, but not the
  // rule explanation folded inside it (every LA101 would match words of its rationale).
  var haystacks = findings.map(function (finding) {
    var group = finding.closest(".listing");
    var parts = [group ? group.getAttribute("data-title") || "" : ""];
    [].forEach.call(finding.querySelectorAll("[data-search]"), function (el) {
      parts.push(el.textContent);
    });
    return parts.join(" ").replace(/\s+/g, " ").toLowerCase();
  });

  function apply() {
    if (!form) { return; }
    var severities = {};
    severityBoxes.forEach(function (box) { severities[box.value] = box.checked; });
    var rule = ruleSelect.value;
    var showAccepted = accepted ? accepted.checked : true;
    // The query is matched as a phrase ("episode 3"), case-insensitively; separate words
    // would match nearly everything in a report full of numbers.
    var query = search.value.replace(/\s+/g, " ").trim().toLowerCase();
    var visible = 0;
    findings.forEach(function (finding, i) {
      var show = severities[finding.getAttribute("data-severity")] !== false &&
        (!rule || finding.getAttribute("data-rule") === rule) &&
        (showAccepted || finding.getAttribute("data-status") === "active") &&
        (!query || haystacks[i].indexOf(query) !== -1);
      finding.hidden = !show;
      if (show) { visible += 1; }
    });
    var hiddenGroups = {};
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".finding:not([hidden])");
      hiddenGroups[group.id] = group.hidden;
    });
    rows.forEach(function (row) { row.hidden = hiddenGroups[row.getAttribute("data-target")]; });
    shown.textContent = "Showing " + visible + " of " + findings.length + " findings";
    noMatch.hidden = visible !== 0 || findings.length === 0;
  }

  if (form) {
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
  }

  // "/" focuses the search box, as on many sites; not while typing in another field.
  doc.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    if (form && event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey &&
        tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA") {
      event.preventDefault();
      search.focus();
    }
  });

  // A link from a CI log (#finding-..., #listing-...) must land on something visible even if
  // the reader had filters set: clear them when the target is filtered out.
  // Targets inside a closed <details> (rules without findings) are opened the same way.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && doc.getElementById(id);
    if (!target) { return; }
    var moved = false;
    if (form && target.closest("[hidden]") && target.closest("#findings")) {
      form.reset();
      apply();
      moved = true;
    }
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; moved = true; }
    }
    if (moved) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);

  // Sortable tables: each column heading is a button; numbers sort largest first on the
  // first click, text A to Z. Ties keep their previous order (Array.prototype.sort is stable).
  [].forEach.call(doc.querySelectorAll("table.sortable"), function (table) {
    var heads = [].slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, index) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "number";
        var current = th.getAttribute("aria-sort");
        var ascending = current === "ascending" ? false :
          current === "descending" ? true : !numeric;
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var list = [].slice.call(body.rows);
        list.sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-value") || a.cells[index].textContent;
          var y = b.cells[index].getAttribute("data-value") || b.cells[index].textContent;
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        list.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  apply();
  reveal();
})();
