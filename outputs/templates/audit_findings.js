(function () {
  "use strict";
  // Draws the findings of this page from its data files (cchcAudit.parts, see outputs/audit/export.py)
  // and filters, searches and sorts them (vanilla JS, works from file://). Every text from the data is
  // put into the page as text (textContent), never as markup. Filters are kept in the URL hash
  // (#severity=error&rule=...), so links from the index can set them.
  var data = window.cchcAudit, PAGE = data.page;
  PAGE.province = document.body.getAttribute("data-province") || "";
  PAGE.parts = document.querySelectorAll("script[data-part]").length;
  var T = PAGE.texts, LANG = PAGE.lang, STEP = 500;
  var SEVERITY_RANK = {error: 0, warning: 1};
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.getElementById("filter-search");
  var shown = document.getElementById("shown-count");
  var limit = STEP, sortColumn = null, ascending = true;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------- figures of the observed values
  var NUMBER_TOKEN = /-?[0-9]+(?:[.,][0-9]+)*/g;
  var PLAIN_NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  // Every value a figure can mean: "4.823" is 4823 (thousands) or 4.823 (decimal); "-" may be a dash.
  function readings(token) {
    if (token.charAt(0) === "-") {
      var unsigned = readings(token.slice(1));
      return unsigned.concat(unsigned.map(function (n) { return -n; }));
    }
    var out = [];
    if (/^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$/.test(token)) { out.push(Number(token.replace(/\./g, "").replace(",", "."))); }
    if (/^[0-9]+(?:,[0-9]+)?$/.test(token)) { out.push(Number(token.replace(",", "."))); }
    if (/^[0-9]+\.[0-9]+$/.test(token)) { out.push(Number(token)); }
    if (/^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/.test(token)) { out.push(Number(token.replace(/,/g, ""))); }
    return out;
  }
  function observedNumbers(observed) {
    var numbers = [];
    Object.keys(observed || {}).forEach(function (key) {
      var value = observed[key];
      if (value === null || typeof value === "boolean") { return; }
      if (typeof value === "number") { numbers.push(value); return; }
      var text = (typeof value === "string" ? value : JSON.stringify(value)).trim();
      if (PLAIN_NUMBER.test(text)) { numbers.push(Number(text)); return; }
      (text.match(NUMBER_TOKEN) || []).forEach(function (token) { numbers = numbers.concat(readings(token)); });
    });
    return numbers.filter(function (n) { return isFinite(n); });
  }
  function markedText(node, text, numbers) {
    var pos = 0, match;
    NUMBER_TOKEN.lastIndex = 0;
    while (numbers.length && (match = NUMBER_TOKEN.exec(text)) !== null) {
      var hit = readings(match[0]).some(function (r) { return numbers.indexOf(r) >= 0; });
      if (hit) {
        node.appendChild(document.createTextNode(text.slice(pos, match.index)));
        node.appendChild(el("mark", "obs", match[0]));
        pos = match.index + match[0].length;
      }
    }
    node.appendChild(document.createTextNode(text.slice(pos)));
  }

  // ------------------------------------------------------------- the rows of the data files
  function name(pair, fallback) {
    var first = LANG === "vi" ? pair[0] : pair[1], second = LANG === "vi" ? pair[1] : pair[0];
    return first || second || fallback;
  }
  function otherName(pair, fallback) {
    var other = LANG === "vi" ? pair[1] : pair[0];
    return other === name(pair, fallback) ? "" : other;
  }
  function valueText(value) {
    if (value === null || value === undefined) { return "–"; }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  function readFindings() {
    // part.reports: [index, report_id, source_file, unit_code, unit_name, period_key, lines, findings]
    var findings = [];
    data.parts.forEach(function (part) {
      part.reports.forEach(function (r) {
        var report = {id: r[1], file: r[2], unit: r[3] || "", unitName: r[4] || "", period: r[5] || ""};
        var lines = {};
        r[6].forEach(function (l) { lines[l[0]] = [l[1], l[2]]; });
        r[7].forEach(function (f) {
          var rule = data.dict.rules[f[3]] || [f[4], f[5], "", ""];
          findings.push({
            id: f[0], key: f[1], status: f[2], rule: f[3], kind: f[4] || rule[0] || "", severity: f[5],
            report: report, lineStart: f[6], lineEnd: f[7], involved: f[8] || [], indicators: f[9] || [],
            observed: f[10] || {}, expected: f[11], lines: lines,
            message: (LANG === "vi" && f[13]) ? f[13] : f[12],
            places: (f[14] || "").split("; ").filter(function (p) { return p; }),
            ruleText: name([rule[2], rule[3]], "")
          });
        });
      });
    });
    return findings;
  }
  function unitLabel(f) { return f.report.unitName || f.report.unit; }
  function defaultOrder(a, b) {
    var keys = [
      [SEVERITY_RANK[a.severity] === undefined ? 2 : SEVERITY_RANK[a.severity], SEVERITY_RANK[b.severity] === undefined ? 2 : SEVERITY_RANK[b.severity]],
      [a.report.unit, b.report.unit],
      [a.lineStart === null ? Infinity : a.lineStart, b.lineStart === null ? Infinity : b.lineStart],
      [a.rule, b.rule], [a.id, b.id]
    ];
    for (var i = 0; i < keys.length; i += 1) {
      if (keys[i][0] < keys[i][1]) { return -1; }
      if (keys[i][0] > keys[i][1]) { return 1; }
    }
    return 0;
  }
  function values(f) {
    var observed = {}, out = [];
    Object.keys(f.observed).forEach(function (k) { observed[k] = f.observed[k]; });
    f.indicators.forEach(function (code) {
      var value = Object.prototype.hasOwnProperty.call(observed, code) ? observed[code] : null;
      delete observed[code];
      out.push([data.dict.indicators[code] || ["", ""], code, valueText(value)]);
    });
    Object.keys(observed).forEach(function (k) { out.push([null, k, valueText(observed[k])]); });
    return out;
  }
  var FILTER_VALUES = {
    province: function () { return PAGE.province; },
    unit: function (f) { return f.report.unit; },
    period: function (f) { return f.report.period; },
    rule: function (f) { return f.rule; },
    severity: function (f) { return f.severity; },
    status: function (f) { return f.status; }
  };
  var FILTER_LABELS = {
    unit: unitLabel,
    severity: function (f) { return T[f.severity] || f.severity; },
    status: function (f) { return T[f.status] || f.status; }
  };

  // ------------------------------------------------------------- one table row
  function quoteCell(f) {
    var td = el("td"), involved = {}, wanted = {}, numbers = observedNumbers(f.observed);
    f.involved.forEach(function (n) {
      involved[n] = true;
      for (var d = -2; d <= 2; d += 1) { wanted[n + d] = true; }
    });
    var present = Object.keys(wanted).map(Number).filter(function (n) { return f.lines[n]; });
    present.sort(function (a, b) { return a - b; });
    if (present.length) {
      var quote = el("div", "quote"), previous = null;
      present.forEach(function (n) {
        if (previous !== null && n > previous + 1) { quote.appendChild(el("div", "gap", "…")); }
        var line = el("div", involved[n] ? "ln involved" : "ln"), tx = el("span", "tx");
        line.setAttribute("data-line-no", String(n));
        line.appendChild(el("span", "no", String(n)));
        if (involved[n]) { markedText(tx, f.lines[n][0], numbers); } else { tx.textContent = f.lines[n][0]; }
        if (f.lines[n][1]) { tx.appendChild(el("span", "place", f.lines[n][1])); }
        line.appendChild(tx);
        quote.appendChild(line);
        previous = n;
      });
      td.appendChild(quote);
    } else if (f.status === "resolved") {
      td.appendChild(el("span", "muted", T.gone));
    }
    if (f.places.length) {  // the cells of the values in an original document (DOCX/XLSX/PDF)
      var cells = el("div", "cells", T.cells + " ");
      f.places.forEach(function (p) { cells.appendChild(el("span", "place", p)); });
      td.appendChild(cells);
    }
    var missing = f.involved.filter(function (n) { return !f.lines[n]; });
    if (missing.length && f.status !== "resolved") {
      td.appendChild(el("p", "bad", format(T.missing_lines, {lines: missing.join(", ")})));
    }
    return td;
  }
  function row(f) {
    var tr = el("tr", "finding status-" + f.status), attrs = {
      "finding-id": f.id, "finding-key": f.key, province: PAGE.province, unit: f.report.unit,
      "unit-label": unitLabel(f), period: f.report.period, rule: f.rule, severity: f.severity,
      "severity-label": T[f.severity] || f.severity, status: f.status, "status-label": T[f.status] || f.status,
      "report-id": f.report.id, "line-start": f.lineStart === null ? "" : f.lineStart,
      "line-end": f.lineEnd === null ? "" : f.lineEnd
    };
    Object.keys(attrs).forEach(function (k) { tr.setAttribute("data-" + k, String(attrs[k])); });
    var td = el("td");
    td.setAttribute("data-key", f.status);
    td.appendChild(el("span", "mark mark-" + f.status, T[f.status] || f.status));
    tr.appendChild(td);
    td = el("td");
    td.setAttribute("data-key", String(SEVERITY_RANK[f.severity] === undefined ? 2 : SEVERITY_RANK[f.severity]));
    td.appendChild(el("span", "sev sev-" + f.severity, T[f.severity] || f.severity));
    tr.appendChild(td);
    td = el("td");
    td.appendChild(el("strong", "", unitLabel(f) || T.unknown_unit));
    td.appendChild(el("span", "other code", f.report.unit + " · " + f.report.period));
    td.appendChild(el("span", "other", f.report.file));
    tr.appendChild(td);
    td = el("td");
    td.appendChild(f.rule === "unmapped_value" ? el("strong", "", T.unrecognised) : document.createTextNode(f.ruleText));
    td.appendChild(el("span", "other code", f.rule + " (" + f.kind + ")"));
    if (f.message) { td.appendChild(el("span", "other", f.message)); }
    tr.appendChild(td);
    td = el("td");
    values(f).forEach(function (v) {
      var div = el("div", "indicator");
      if (v[0]) { div.setAttribute("data-code", v[1]); }
      div.appendChild(document.createTextNode((v[0] ? name(v[0], v[1]) : (v[1] ? "“" + v[1] + "”" : "")) + ": "));
      div.appendChild(el("strong", "value", v[2]));
      if (v[0] && otherName(v[0], v[1])) { div.appendChild(el("span", "other", otherName(v[0], v[1]))); }
      td.appendChild(div);
    });
    if (f.expected) { td.appendChild(el("div", "muted", T.expected + " " + f.expected)); }
    tr.appendChild(td);
    td = el("td", "num", f.lineStart === null ? "" : (f.lineEnd === null || f.lineEnd === f.lineStart ? String(f.lineStart) : f.lineStart + "–" + f.lineEnd));
    td.setAttribute("data-key", f.lineStart === null ? "" : String(f.lineStart));
    tr.appendChild(td);
    tr.appendChild(quoteCell(f));
    return tr;
  }

  // ------------------------------------------------------------- filters, search, sort
  var findings = readFindings().sort(defaultOrder);
  var SORT_KEYS = {
    0: function (f) { return f.status; },
    1: function (f) { return SEVERITY_RANK[f.severity] === undefined ? 2 : SEVERITY_RANK[f.severity]; },
    2: function (f) { return unitLabel(f) + " " + f.report.unit + " " + f.report.period; },
    3: function (f) { return f.rule === "unmapped_value" ? T.unrecognised : f.ruleText; },
    5: function (f) { return f.lineStart === null ? 0 : f.lineStart; }
  };
  function searchText(f) {
    if (f.search === undefined) {
      var parts = [unitLabel(f), f.report.unit, f.report.period, f.report.file, f.rule, f.ruleText, f.message,
        f.expected, T[f.status], T[f.severity]];
      values(f).forEach(function (v) { parts.push(v[0] ? v[0].join(" ") : v[1], v[2]); });
      Object.keys(f.lines).forEach(function (n) { parts.push(f.lines[n][0]); });
      f.search = fold(parts.join(" "));
    }
    return f.search;
  }
  selects.forEach(function (select) {
    var key = select.dataset.filter, seen = {};
    findings.forEach(function (f) {
      var value = FILTER_VALUES[key](f) || "";
      if (!seen[value]) { seen[value] = FILTER_LABELS[key] ? FILTER_LABELS[key](f) : value; }
    });
    Object.keys(seen).sort().forEach(function (value) {
      var option = el("option", "", seen[value] || "–");
      option.value = value;
      select.appendChild(option);
    });
  });
  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    selects.forEach(function (select) {
      var value = params.get(select.dataset.filter);
      select.value = value !== null && Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : "";
    });
    if (search) { search.value = params.get("q") || ""; }
  }
  function writeHash() {
    var params = new URLSearchParams();
    selects.forEach(function (select) { if (select.value) { params.set(select.dataset.filter, select.value); } });
    if (search && search.value) { params.set("q", search.value); }
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
  }
  function matching() {
    var query = search ? fold(search.value.trim()) : "";
    var chosen = selects.filter(function (s) { return s.value; });
    return findings.filter(function (f) {
      return chosen.every(function (s) { return (FILTER_VALUES[s.dataset.filter](f) || "") === s.value; }) &&
        (!query || searchText(f).indexOf(query) >= 0);
    });
  }
  function render() {
    var rows = matching();
    if (sortColumn !== null) {
      var key = SORT_KEYS[sortColumn], numeric = sortColumn === 1 || sortColumn === 5;
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var order = numeric ? x - y : String(x).localeCompare(String(y), "vi");
        return (ascending ? order : -order) || defaultOrder(a, b);
      });
    }
    var fragment = document.createDocumentFragment();
    rows.slice(0, limit).forEach(function (f) { fragment.appendChild(row(f)); });
    body.textContent = "";
    body.appendChild(fragment);
    if (shown) { shown.textContent = String(rows.length); }
    var more = rows.length > limit;
    document.getElementById("more-rows").hidden = !more;
    if (more) {
      document.getElementById("more-note").textContent = format(T.rendered, {shown: limit, total: rows.length});
      document.getElementById("show-more").textContent = format(T.more, {n: Math.min(STEP, rows.length - limit)});
      document.getElementById("show-all").textContent = T.all_rows;
    }
  }
  function refilter() { limit = STEP; writeHash(); render(); }
  selects.forEach(function (select) { select.addEventListener("change", refilter); });
  if (search) { search.addEventListener("input", refilter); }
  window.addEventListener("hashchange", function () { readHash(); limit = STEP; render(); });
  document.getElementById("show-more").addEventListener("click", function () { limit += STEP; render(); });
  document.getElementById("show-all").addEventListener("click", function () { limit = Infinity; render(); });
  Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (th) {
    th.addEventListener("click", function () {
      ascending = !(sortColumn === th.cellIndex && ascending);
      sortColumn = th.cellIndex;
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      render();
    });
  });
  if (data.parts.length < PAGE.parts) {
    var error = document.getElementById("load-error");
    error.textContent = T.loading;
    error.hidden = false;
  }
  readHash();
  render();
}());
