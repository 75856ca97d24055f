// The archive review page: a list of every report, one report's tables with its findings, and one
// agency's years side by side. Everything is local: the list is embedded above, each report's detail
// is review/<id>.js, loaded by a <script> tag when first shown (browsers refuse fetch() from disk).
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("data").textContent);
  const R = { id: 0, agency: 1, year: 2, format: 3, status: 4, rulesFailed: 5, unread: 6, tiesFailed: 7,
              corrected: 8, source: 9, sameYearAs: 10, agencyKey: 11 };
  const PAGE = 200;  // rows drawn at a time: 10,000 rows in the DOM at once would make filtering slow
  const details = new Map(), waiting = new Map();
  let sortColumn = R.agency, sortDirection = 1, limit = PAGE;

  const $ = (selector) => document.querySelector(selector);
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value; else node.setAttribute(name, value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  // the DOM's own replaceChildren/append would write nested lists and nulls as text
  const parts = (children) => children.flat(Infinity).filter((c) => c !== null && c !== undefined);
  const put = (node, ...children) => node.replaceChildren(...parts(children));
  const add = (node, ...children) => node.append(...parts(children));
  const shown = (value) => (value === null || value === undefined ? "" : String(value));
  const reportLink = (id, text) => el("a", { href: "#report=" + id }, text);
  const byId = new Map(DATA.reports.map((r) => [r[R.id], r]));

  // a report's detail script calls this
  window.disclosureReview = {
    loaded(detail) {
      const keys = DATA.keys[detail.format] || [];
      detail.cells = Object.fromEntries(keys.map((key, i) => [key, detail.cells[i]]).filter(([, c]) => c));
      details.set(detail.id, detail);
      for (const callback of waiting.get(detail.id) || []) callback(detail);
      waiting.delete(detail.id);
    },
  };
  function load(id, callback) {
    if (details.has(id)) { callback(details.get(id)); return; }
    if (!waiting.has(id)) {
      waiting.set(id, []);
      const script = el("script", { src: DATA.root + "/" + id + ".js" });
      script.onerror = () => { waiting.delete(id); $("#report-view").append(el("p", { class: "finding bad" },
        "cannot load " + DATA.root + "/" + id + ".js (was the results folder moved without review/?)")); };
      document.head.append(script);
    }
    waiting.get(id).push(callback);
  }

  // ---- the list
  function params() { return new URLSearchParams(location.hash.slice(1)); }
  function matching() {
    const p = params(), status = p.get("status") || "", agency = (p.get("agency") || "").trim();
    const year = p.get("year") || "", ties = p.get("ties") === "1";
    const rows = DATA.reports.filter((r) => (!status || r[R.status] === status)
      && (!agency || r[R.agency].includes(agency) || r[R.agencyKey].includes(agency))
      && (!year || String(r[R.year]) === year) && (!ties || r[R.tiesFailed] > 0));
    const column = sortColumn === R.agency ? R.agencyKey : sortColumn;  // one agency's spellings together
    return rows.sort((a, b) => {
      const x = a[column], y = b[column];
      if (x === y) return a[R.year] - b[R.year] || (a[R.id] < b[R.id] ? -1 : 1);
      if (x === null) return 1; if (y === null) return -1;
      return (x < y ? -1 : 1) * sortDirection;
    });
  }
  function drawList() {
    const rows = matching(), body = $("#reports tbody");
    body.replaceChildren(...rows.slice(0, limit).map((r) => el("tr", { "data-id": r[R.id] },
      el("td", {}, el("a", { href: "#agency-view=" + encodeURIComponent(r[R.agencyKey]) }, r[R.agency] || "(no agency)")),
      el("td", { class: "num" }, shown(r[R.year])), el("td", {}, shown(r[R.format])),
      el("td", { class: "status-" + r[R.status] }, reportLink(r[R.id], r[R.status]),
        r[R.sameYearAs] ? el("span", { class: "muted" }, " (printed again)") : null),
      el("td", { class: "num" }, r[R.rulesFailed]), el("td", { class: "num" }, r[R.unread]),
      el("td", { class: "num" }, r[R.tiesFailed]), el("td", { class: "num" }, r[R.corrected] || ""),
      el("td", {}, r[R.source]))));
    $("#shown").textContent = rows.length + " of " + DATA.reports.length + " reports";
    $("#more").hidden = rows.length <= limit;
    document.querySelectorAll("#reports th").forEach((th) => {
      th.className = Number(th.dataset.sort) === sortColumn ? (sortDirection > 0 ? "asc" : "desc") : "";
    });
  }
  function setFilter(name, value) {
    const p = params();
    for (const key of ["report", "agency-view"]) p.delete(key);
    if (value) p.set(name, value); else p.delete(name);
    limit = PAGE;
    location.hash = p.toString();
  }
  function fillFilters() {
    const statuses = [...new Set(DATA.reports.map((r) => r[R.status]))].sort();
    const years = [...new Set(DATA.reports.map((r) => r[R.year]).filter((y) => y !== null))].sort();
    $("#f-status").append(...statuses.map((s) => el("option", { value: s }, s)));
    $("#f-year").append(...years.map((y) => el("option", { value: y }, y)));
    $("#f-status").onchange = (e) => setFilter("status", e.target.value);
    $("#f-year").onchange = (e) => setFilter("year", e.target.value);
    $("#f-agency").oninput = (e) => setFilter("agency", e.target.value);
    $("#f-ties").onchange = (e) => setFilter("ties", e.target.checked ? "1" : "");
    $("#more").onclick = () => { limit += PAGE; drawList(); };
    document.querySelectorAll("#reports th").forEach((th) => th.onclick = () => {
      const column = Number(th.dataset.sort);
      sortDirection = column === sortColumn ? -sortDirection : 1;
      sortColumn = column;
      drawList();
    });
    const failed = DATA.failures;
    $("#failures").hidden = failed.length === 0;
    $("#failures summary").textContent = failed.length + " documents could not be read";
    $("#failures tbody").append(...failed.map((f) => el("tr", {}, el("td", {}, f[1]), el("td", {}, shown(f[2])),
      el("td", {}, shown(f[3])))));
    const counts = {};
    for (const r of DATA.reports) counts[r[R.status]] = (counts[r[R.status]] || 0) + 1;
    $("#totals").textContent = DATA.reports.length + " reports: " +
      Object.entries(counts).map(([s, n]) => n + " " + s).join(", ");
  }

  // ---- one report
  function cellText(cell) {
    if (!cell) return "";
    const [value, state] = cell;
    if (state === "empty") return "—";
    if (state === "missing" || state === "ambiguous") return "?";
    return shown(value);
  }
  function findingLine(ok, text) {
    return el("p", { class: "finding " + (ok === false ? "bad" : ok === true ? "ok" : "none") }, text);
  }
  function tieText(t, id) {
    const [rule, year, prior, ok, lhs, rhs, report, priorReport] = t;
    const other = report === id ? priorReport : report;
    const verdict = ok === false ? "fails" : ok === true ? "holds" : "not evaluated";
    const side = report === id ? "" : " (this report is the prior year's)";
    return [rule + " " + prior + " → " + year + ": " + shown(lhs) + " (" + year + ") against " + shown(rhs) +
      " (from " + prior + ") " + verdict + side + "; the other report: ",
      other ? reportLink(other, (byId.get(other) || [])[R.source] || other.slice(0, 12)) : "none in the archive"];
  }
  function tieList(d) {
    if (!d.ties.length) return findingLine(null, "none: no other year of this agency in the archive");
    const failed = d.ties.filter((t) => t[3] === false), rest = d.ties.filter((t) => t[3] !== false);
    const held = rest.filter((t) => t[3] === true).length;
    return [failed.length ? failed.map((t) => findingLine(false, tieText(t, d.id))) : findingLine(true, "none fails"),
      rest.length ? el("details", {}, el("summary", {}, held + " hold, " + (rest.length - held) + " not evaluated"),
        rest.map((t) => findingLine(t[3], tieText(t, d.id)))) : null];
  }
  function drawReport(d) {
    const view = $("#report-view"), layout = DATA.layout[d.format] || [];
    const failing = new Set(d.failed.flatMap((f) => f[3]));
    const inDoubt = new Set((d.in_doubt || []).flatMap((f) => f[3]));
    const tieCells = new Set(d.ties.filter((t) => t[3] === false).flatMap((t) => t[6] === d.id ? t[8] : t[9]));
    const involved = [...new Set([...failing, ...inDoubt, ...tieCells])];
    put(view,
      el("h2", {}, (d.agency || "(no agency)") + " " + shown(d.year), " ",
        el("span", { class: "status-" + d.status }, d.status)),
      el("p", { class: "muted" }, "format " + shown(d.format) + " · " + d.paths.join(" · ") + " · id " + d.id),
      el("p", {}, el("a", { href: "#agency-view=" + encodeURIComponent((byId.get(d.id) || [])[R.agencyKey] || "") },
        "this agency's years side by side")),
      el("h3", {}, "Rules that fail"),
      d.failed.length ? d.failed.map((f) => findingLine(false, f[0] + ": " + shown(f[1]) + " ≠ " + shown(f[2]) +
        " (" + f[3].join(" ") + ")")) : findingLine(true, "none"),
      (d.in_doubt || []).length ? [el("h3", {}, "Rules in doubt (no finding)"), d.in_doubt.map((f) =>
        el("p", { class: "in-doubt" }, f[0] + ": " + shown(f[1]) + " ≠ " + shown(f[2]) +
          " as read; holds under another plausible reading: " + f[4].join("; ")))] : null,
      el("h3", {}, "Ties to the agency's other years"),
      tieList(d),
      involved.length ? el("h3", {}, "Cells involved") : null,
      involved.length ? el("table", { class: "crops" }, el("thead", {}, el("tr", {}, ["field", "reading",
        "printed", "where", "crop"].map((h) => el("th", {}, h)))), el("tbody", {}, involved.sort().map((key) =>
        el("tr", {}, el("td", {}, key), el("td", { class: "num" }, cellText(d.cells[key])),
          el("td", {}, d.cells[key] ? shown(d.cells[key][2] ?? d.cells[key][0]) : ""),
          el("td", {}, d.cells[key] ? shown(d.cells[key][3]) : ""),
          el("td", {}, d.crops[key] ? el("img", { src: d.crops[key], alt: key, onload: "this.dataset.loaded=1" }) : ""))))) : null,
      d.warnings.length ? [el("h3", {}, "Warnings"), el("ul", {}, d.warnings.map((w) => el("li", {}, w)))] : null,
      layout.map(([title, rows]) => [el("h3", {}, title), fieldTable(d, rows, failing, tieCells, inDoubt)]));
  }
  function fieldTable(d, rows, failing, tieCells, inDoubt) {
    const cellOf = (key) => {
      const cell = d.cells[key] || [null, "missing"];
      const classes = ["num", failing.has(key) ? "fail" : "", tieCells.has(key) ? "tie" : "",
        cell[1] === "missing" || cell[1] === "ambiguous" || inDoubt.has(key) ? "doubt" : "", cell[5] ? "corrected" : ""];
      return el("td", { class: classes.join(" ").trim(), "data-key": key,
        title: key + (cell[5] ? " — corrected: " + cell[5] : "") },
        cell[5] ? el("span", { class: "printed" }, shown(cell[4]) || "—") : null, cellText(cell));
    };
    let headers = null;  // a row's column headers are drawn where they differ from the row above's
    return el("table", { class: "fields" }, el("tbody", {}, rows.map(([label, columns]) => {
      const these = columns.map(([header]) => header).join("|");
      const head = these === headers ? null
        : el("tr", {}, el("th", {}, ""), columns.map(([header]) => el("th", {}, header)));
      headers = these;
      return [head, el("tr", {}, el("th", {}, label), columns.map(([, key]) => cellOf(key)))];
    })));
  }

  // ---- one agency
  const YEAR_ROWS = ["apply.received.total", "apply.carried_in.total", "apply.total.total", "apply.carried_over.total",
    "active.rules.issued", "active.rules.repealed", "active.rules.in_force", "active.normative.issued",
    "active.normative.repealed", "active.normative.in_force", "appeal.review.total"];
  function drawAgency(key) {
    const reports = DATA.reports.filter((r) => r[R.agencyKey] === key).sort((a, b) => a[R.year] - b[R.year]);
    const view = $("#agency-view");
    put(view, el("h2", {}, reports.length ? reports[reports.length - 1][R.agency] : key),
      el("p", { class: "muted" }, reports.length + " reports"));
    let pending = reports.length;
    for (const r of reports) load(r[R.id], () => { if (--pending === 0) fill(); });
    function fill() {
      const ds = reports.map((r) => details.get(r[R.id]));
      const ties = ds.flatMap((d) => d.ties.filter((t) => t[6] === d.id));
      add(view, el("table", { class: "years" },
        el("thead", {}, el("tr", {}, el("th", {}, ""), ds.map((d) => el("th", {}, reportLink(d.id, shown(d.year)))))),
        el("tbody", {},
          el("tr", {}, el("td", {}, "status"), ds.map((d) => el("td", { class: "status-" + d.status }, d.status))),
          el("tr", {}, el("td", {}, "format"), ds.map((d) => el("td", {}, shown(d.format)))),
          YEAR_ROWS.map((k) => el("tr", {}, el("td", {}, k), ds.map((d) => el("td", { class: "num" }, cellText(d.cells[k]))))))),
        el("h3", {}, "Ties"), ties.length ? ties.map((t) => findingLine(t[3], t[0] + " " + t[2] + " → " + t[1] + ": " +
          shown(t[4]) + " against " + shown(t[5]))) : findingLine(null, "none"));
    }
  }

  // ---- which view the address names
  function route() {
    const p = params();
    const report = p.get("report"), agency = p.get("agency-view");
    $("#list-view").hidden = Boolean(report || agency);
    $("#report-view").hidden = !report;
    $("#agency-view").hidden = !agency;
    if (report) load(report, drawReport);
    else if (agency) drawAgency(agency);
    else {
      $("#f-status").value = p.get("status") || "";
      $("#f-year").value = p.get("year") || "";
      if (document.activeElement !== $("#f-agency")) $("#f-agency").value = p.get("agency") || "";
      $("#f-ties").checked = p.get("ties") === "1";
      drawList();
      document.body.dataset.drawnMs = Math.round(performance.now());  // since the page was asked for
    }
  }
  fillFilters();
  window.addEventListener("hashchange", route);
  route();
})();
