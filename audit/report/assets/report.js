/* listing-audit HTML report: pages of findings rendered from the embedded data, filters,
   a paginated sortable listings table, deep links. Plain DOM code, no libraries, no network.
   The first page of findings and of the listings table is in the HTML already, so the page
   shows findings at once (and without JavaScript); everything else is rendered on demand. */
(function () {
  "use strict";
  var doc = document;
  var block = doc.getElementById("report-data");
  var data = block ? JSON.parse(block.textContent) : null;
  // The data is parsed once; the element would only keep a second copy of it alive.
  if (block) { block.parentNode.removeChild(block); }
  var form = doc.getElementById("filters");
  var search = form && form.querySelector('input[name="q"]');
  var ruleSelect = form && form.querySelector('select[name="rule"]');
  var accepted = form && form.querySelector('input[name="accepted"]');
  var severityBoxes = form ? [].slice.call(form.querySelectorAll('input[name="severity"]')) : [];
  var list = doc.getElementById("finding-list");
  var shown = doc.getElementById("shown");
  var noMatch = doc.getElementById("no-match");
  var table = doc.getElementById("listing-table");
  var findingPager = doc.getElementById("finding-pager");
  var listingPager = doc.getElementById("listing-pager");

  var SEVERITIES = ["error", "warning", "info"];
  var STATUSES = ["active", "baselined", "waived"];
  var findings = data ? data.findings : [];
  var groups = data ? data.groups : [];
  var rules = data ? data.rules : [];
  var PAGE = data ? data.page : 100;
  var TABLE_PAGE = data ? data.tablePage : 50;

  var matching = findings.map(function (_, i) { return i; });  // indexes shown by the filters
  var findingPage = 0;
  var tableOrder = groups.map(function (_, i) { return i; });  // the table's sort order
  var tableRows = tableOrder;                                   // rows with matching findings
  var tablePage = 0;
  var haystacks = null;  // built on the first search, not at load

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"}[c];
    });
  }

  function plural(n, word, words) { return n + " " + (n === 1 ? word : (words || word + "s")); }

  function ruleAnchor(id) { return /^[A-Za-z0-9_-]+$/.test(id) ? "rule-" + id : ""; }

  // --- rendering (mirrors audit/report/html.py, which writes the first page) -------------

  var paths = data ? data.paths : [];

  function findingPlace(f) {
    var where = f[4], text = paths[where[0]];
    if (where[1] != null) {
      text += ":" + where[1];
      if (where[2] != null) { text += ":" + where[2]; }
    }
    return text;
  }

  // Where a piece of evidence is and what it states (html.py's _evidence_meta): as HTML, or
  // with `code` and `escape` left as they are, as the plain text the search box matches.
  function evidenceMeta(item, code, escape) {
    code = code || function (text) { return "<code>" + esc(text) + "</code>"; };
    escape = escape || esc;
    var meta = [];
    if (item[0] !== -1) { meta.push(code(paths[item[0]])); }
    if (item[1] != null) {
      var span = item[2] != null && item[2] !== item[1] ? "lines " + item[1] + "-" + item[2] :
        "line " + item[1];
      meta.push(escape(span) + (item[3] != null ? ", column " + escape(item[3]) : ""));
    }
    if (item[4]) { meta.push(escape(item[4])); }
    if (item[5]) {
      var value = item[6] === 0 ? item[7] : item[6];
      meta.push(code(item[5]) + (value != null ? " = " + code(value) : ""));
    }
    return meta.join(" \u00b7 ");
  }

  function plain(text) { return String(text); }

  function quote(item) {
    var lines = String(item[7]).split("\n");
    var start = item[1], end = item[2];
    return '<blockquote class="quote">' + lines.map(function (text, offset) {
      var number = start == null ? "" :
        (lines.length === 1 && end != null && end !== start) ? start + "\u2013" + end :
        String(start + offset);
      return '<span class="ln">' + esc(number) + '</span><span class="text"><mark>' +
        esc(text) + "</mark></span>";
    }).join("") + "</blockquote>";
  }

  function explanation(rule) {
    if (rule.length < 5) { return ""; }
    var example = rule[4] ? '<p>Example:</p><pre class="example">' + esc(rule[4]) + "</pre>" : "";
    return '<details class="explain"><summary>Why ' + esc(rule[0]) + ' matters</summary>' +
      '<div class="explain-body"><p>' + esc(rule[2]) + '</p><p class="prose">' +
      esc(rule[3]) + "</p>" + example + '<p><a href="#' + ruleAnchor(rule[0]) + '">' +
      esc(rule[0]) + " in the rule list</a></p></div></details>";
  }

  function findingHtml(i) {
    var f = findings[i];
    var severity = SEVERITIES[f[0]], rule = rules[f[1]], status = STATUSES[f[2]];
    var badge = status !== "active" ? ' <span class="badge status">' + esc(status) + "</span>" : "";
    var html = '<li class="finding sev-' + severity + '" id="' + esc(f[6]) +
      '" data-severity="' + severity + '" data-rule="' + esc(rule[0]) + '" data-status="' +
      status + '" data-i="' + i + '"><div class="finding-head" data-search>' +
      '<span class="badge sev-' + severity + '">' + severity + "</span>" + badge + " " +
      '<a class="rule" href="#' + ruleAnchor(rule[0]) + '">' + esc(rule[0]) + "</a> " +
      '<span class="rule-name">' + esc(rule[1]) + "</span>" +
      '<a class="loc" href="#' + esc(f[6]) + '" title="Link to this finding"><code>' +
      esc(findingPlace(f)) + "</code></a></div>" +
      '<p class="message" data-search>' + esc(f[5]) + "</p>";
    if (f[9]) {
      html += '<p class="rollup">' + esc(f[9][0]) + '</p><details class="rows"><summary>All ' +
        f[9][1].length + ' affected rows</summary><div class="rows-body"></div></details>';
    }
    if (f[8]) { html += '<p class="waiver" data-search>' + esc(f[8]) + "</p>"; }
    if (f[7].length) {
      html += '<ul class="evidence" data-search>' + f[7].map(function (item) {
        return '<li><span class="ev-meta">' + evidenceMeta(item) + "</span>" + quote(item) +
          "</li>";
      }).join("") + "</ul>";
    }
    return html + explanation(rule) + "</li>";
  }

  function groupHtml(g, members) {
    var group = groups[g];
    var counts = SEVERITIES.map(function (s, k) {
      return group[5 + k] ? plural(group[5 + k], s, s === "info" ? "info" : null) : "";
    }).filter(Boolean).join(", ");
    var heading, meta;
    if (group[0]) {
      heading = esc(group[2]);
      meta = "<code>" + esc(group[3]) + "</code>" +
        (group[4] ? " \u00b7 key <code>" + esc(group[4]) + "</code>" : "");
    } else {
      heading = "<code>" + esc(group[2]) + '</code> <span class="muted">(whole file)</span>';
      meta = "Findings about the file itself";
    }
    return '<section class="listing" id="' + esc(group[1]) + '" data-title="' + esc(group[2]) +
      '" aria-labelledby="' + esc(group[1]) + '-h"><h3 id="' + esc(group[1]) + '-h">' +
      heading + '</h3><p class="listing-meta">' + meta + " \u00b7 " + esc(counts) +
      '</p><ol class="findings">' + members.map(findingHtml).join("") + "</ol></section>";
  }

  function pages(total, size) { return Math.max(1, Math.ceil(total / size)); }

  function updatePager(pager, page, total, size, unit) {
    if (!pager) { return; }
    var count = pages(total, size);
    pager.hidden = count <= 1;
    var first = total ? page * size + 1 : 0, last = Math.min(total, (page + 1) * size);
    pager.querySelector(".page-info").textContent = unit.charAt(0).toUpperCase() +
      unit.slice(1) + " " + first + "\u2013" + last + " of " + total + ", page " + (page + 1) +
      " of " + count;
    pager.querySelector('[data-step="-1"]').disabled = page === 0;
    pager.querySelector('[data-step="1"]').disabled = page >= count - 1;
  }

  function renderFindings() {
    if (!list) { return; }
    var slice = matching.slice(findingPage * PAGE, (findingPage + 1) * PAGE);
    var html = [], start = 0;
    for (var k = 1; k <= slice.length; k += 1) {
      if (k === slice.length || findings[slice[k]][3] !== findings[slice[start]][3]) {
        html.push(groupHtml(findings[slice[start]][3], slice.slice(start, k)));
        start = k;
      }
    }
    list.innerHTML = html.join("");
    updatePager(findingPager, findingPage, matching.length, PAGE, "findings");
  }

  function rowHtml(g) {
    var group = groups[g];
    var label = group[0] ? group[2] : group[2] + " (whole file)";
    var total = group[5] + group[6] + group[7];
    return '<tr data-target="' + esc(group[1]) + '"><td data-value="' + esc(label.toLowerCase()) +
      '"><a href="#' + esc(group[1]) + '">' + esc(label) + '</a></td><td class="col-file"><code>' +
      esc(group[3]) + "</code></td>" + [group[5], group[6], group[7], total].map(function (n) {
        return '<td class="num" data-value="' + n + '">' + n + "</td>";
      }).join("") + "</tr>";
  }

  function renderTable() {
    if (!table) { return; }
    var rows = tableRows.slice(tablePage * TABLE_PAGE, (tablePage + 1) * TABLE_PAGE);
    table.tBodies[0].innerHTML = rows.map(rowHtml).join("");
    updatePager(listingPager, tablePage, tableRows.length, TABLE_PAGE, "listings");
  }

  // --- filters ------------------------------------------------------------------------

  // What the search box matches: the listing's title and the finding's own text, but not the
  // rule explanation (every LA101 would match words of its rationale).
  function haystack(i) {
    var f = findings[i], rule = rules[f[1]], status = STATUSES[f[2]];
    var parts = [groups[f[3]][2], SEVERITIES[f[0]], status === "active" ? "" : status,
      rule[0], rule[1], findingPlace(f), f[5], f[8] || "", f[9] ? f[9][0] : ""];
    f[7].forEach(function (item) { parts.push(evidenceMeta(item, plain, plain), item[7]); });
    return parts.join(" ").replace(/\s+/g, " ").toLowerCase();
  }

  function filtersSet() {
    return severityBoxes.some(function (box) { return !box.checked; }) ||
      (ruleSelect && ruleSelect.value) || (accepted && !accepted.checked) ||
      (search && search.value.trim());
  }

  function compute() {
    var severities = {};
    severityBoxes.forEach(function (box) { severities[SEVERITIES.indexOf(box.value)] = box.checked; });
    var rule = ruleSelect ? ruleSelect.value : "";
    var showAccepted = accepted ? accepted.checked : true;
    // The query is matched as a phrase ("episode 3"), case-insensitively; separate words
    // would match nearly everything in a report full of numbers.
    var query = search ? search.value.replace(/\s+/g, " ").trim().toLowerCase() : "";
    if (query && !haystacks) { haystacks = findings.map(function (_, i) { return haystack(i); }); }
    var out = [], groupHits = new Uint8Array(groups.length);
    for (var i = 0; i < findings.length; i += 1) {
      var f = findings[i];
      if (severities[f[0]] === false || (rule && rules[f[1]][0] !== rule) ||
          (!showAccepted && f[2] !== 0) || (query && haystacks[i].indexOf(query) === -1)) {
        continue;
      }
      out.push(i);
      groupHits[f[3]] = 1;
    }
    matching = out;
    tableRows = tableOrder.filter(function (g) { return groupHits[g]; });
  }

  function apply() {
    if (!form || !data) { return; }
    compute();
    findingPage = 0;
    tablePage = 0;
    renderFindings();
    renderTable();
    shown.textContent = "Showing " + matching.length + " of " + findings.length + " findings";
    noMatch.hidden = matching.length !== 0 || findings.length === 0;
  }

  if (form && data) {
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
  }

  function onPager(pager, step) {
    if (pager === findingPager) {
      findingPage = Math.min(Math.max(0, findingPage + step), pages(matching.length, PAGE) - 1);
      renderFindings();
      doc.getElementById("findings").scrollIntoView();
    } else {
      tablePage = Math.min(Math.max(0, tablePage + step), pages(tableRows.length, TABLE_PAGE) - 1);
      renderTable();
    }
  }
  [findingPager, listingPager].forEach(function (pager) {
    if (!pager || !data) { return; }
    pager.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) { onPager(pager, Number(step)); }
    });
  });

  // A roll-up's affected rows are built when its fold is opened (there can be thousands).
  if (list && data) {
    list.addEventListener("toggle", function (event) {
      var fold = event.target;
      if (!fold.classList || !fold.classList.contains("rows") || !fold.open) { return; }
      var item = fold.closest(".finding");
      var rollup = item && findings[Number(item.getAttribute("data-i"))][9];
      var body = fold.querySelector(".rows-body");
      if (!rollup || body.getAttribute("data-filled")) { return; }
      body.innerHTML = '<table class="rows-table"><thead><tr><th scope="col">Line</th>' +
        '<th scope="col">Listing</th><th scope="col">Value</th></tr></thead><tbody>' +
        rollup[1].map(function (row) {
          return "<tr><td class=\"num\">" + esc(row[0]) + "</td><td><code>" + esc(row[1]) +
            "</code></td><td>" + esc(row[2]) + "</td></tr>";
        }).join("") + "</tbody></table>";
      body.setAttribute("data-filled", "1");
    }, true);
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

  // A link from a CI log (#finding-..., #listing-...) must land on its target even when it is
  // on another page or filtered out: clear the filters if needed and show its page.
  // Targets inside a closed <details> (rules without findings) are opened the same way.
  function position(id) {
    for (var i = 0; i < findings.length; i += 1) {
      if (findings[i][6] === id || groups[findings[i][3]][1] === id) { return i; }
    }
    return -1;
  }

  // Not form.reset(): its event re-applies the filters later and would go back to page 1.
  function clearFilters() {
    severityBoxes.forEach(function (box) { box.checked = true; });
    if (accepted) { accepted.checked = true; }
    if (ruleSelect) { ruleSelect.value = ""; }
    if (search) { search.value = ""; }
  }

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var target = doc.getElementById(id);
    var moved = false;
    var index = data && (!target || target.closest("#finding-list")) ? position(id) : -1;
    if (index !== -1) {
      if (matching.indexOf(index) === -1 && form) {
        clearFilters();
        apply();
      }
      var page = Math.floor(matching.indexOf(index) / PAGE);
      if (page !== findingPage || !doc.getElementById(id)) {
        findingPage = page;
        renderFindings();
      }
      target = doc.getElementById(id);
      moved = true;
    }
    if (!target) { return; }
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; moved = true; }
    }
    if (moved) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);

  function sortKey(g, index) {
    var group = groups[g];
    switch (index) {
      case 0: return (group[0] ? group[2] : group[2] + " (whole file)").toLowerCase();
      case 1: return group[3];
      case 5: return group[5] + group[6] + group[7];
      default: return group[index + 3];
    }
  }
  // Each column heading is a button; numbers sort largest first on the first click, text A
  // to Z, a second click reverses. `sort(index, numeric, ascending)` does the sorting.
  function sortable(target, sort) {
    var heads = [].slice.call(target.tHead.rows[0].cells);
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
        sort(index, numeric, ascending);
      });
    });
  }

  function compare(x, y, numeric, ascending) {
    var order = numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y));
    return ascending ? order : -order;
  }

  // The listings table sorts all its rows, not only the page shown.
  if (table && data) {
    sortable(table, function (index, numeric, ascending) {
      tableOrder.sort(function (a, b) {
        return compare(sortKey(a, index), sortKey(b, index), numeric, ascending);
      });
      compute();
      tablePage = 0;
      renderTable();
    });
  }

  // Other sortable tables (the files table) are small and sorted in place. Ties keep their
  // previous order (Array.prototype.sort is stable).
  [].forEach.call(doc.querySelectorAll("table.sortable"), function (other) {
    if (other === table) { return; }
    sortable(other, function (index, numeric, ascending) {
      var body = other.tBodies[0];
      var value = function (row) {
        return row.cells[index].getAttribute("data-value") || row.cells[index].textContent;
      };
      [].slice.call(body.rows).sort(function (a, b) {
        return compare(value(a), value(b), numeric, ascending);
      }).forEach(function (row) { body.appendChild(row); });
    });
  });

  // The first pages are in the HTML already; render only if the browser restored filters.
  if (form && data && filtersSet()) { apply(); }
  reveal();
})();
