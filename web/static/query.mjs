// The Logs page: query tabs, the editor, the time range, results as a grid
// or a chart, history.
import { Editor, blockAt, format, setInQuery } from "./editor.mjs";
import { Grid, cellText, flatten, filterFor } from "./grid.mjs";
import { renderChart, KINDS } from "./chart.mjs";
import * as api from "./api.mjs";
import { PACK } from "./pack.mjs";

const TABS = "idlogs.tabs", HISTORY = "idlogs.history", SAVED = "idlogs.saved";
const RANGES = [["PT30M", "Last 30 minutes"], ["PT1H", "Last hour"], ["PT4H", "Last 4 hours"], ["PT12H", "Last 12 hours"],
  ["P1D", "Last 24 hours"], ["P2D", "Last 48 hours"], ["P3D", "Last 3 days"], ["P7D", "Last 7 days"], ["P30D", "Last 30 days"]];
const DEFAULT_QUERY = "SigninLogs\n| summarize SignIns = count() by bin(TimeGenerated, 1h)\n| render timechart";

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function loadTabs() {
  try {
    const t = JSON.parse(localStorage.getItem(TABS));
    if (t && t.tabs && t.tabs.length) return t;
  } catch { /* start afresh */ }
  return { tabs: [{ id: 1, title: "New query 1", text: DEFAULT_QUERY }], active: 1, next: 2 };
}

function saveTabs(t) { localStorage.setItem(TABS, JSON.stringify(t)); }

/** Opens text in a new query tab; the caller then shows the Logs page. */
export function openQuery(text, title) {
  const t = loadTabs();
  const id = t.next++;
  t.tabs.push({ id, title: title || `New query ${id}`, text });
  t.active = id;
  saveTabs(t);
}

let lastResult = null;



/** The schema pane's table groups, by name. */
const CATEGORIES = [
  ["Microsoft Entra ID", /^(AAD|ADFS|SigninLogs$|AuditLogs$|MicrosoftGraphActivityLogs$|NetworkAccess|RemoteNetworkHealthLogs$|EnrichedMicrosoft365AuditLogs$)/],
  ["Security", /^(Security|Device|Identity|BehaviorAnalytics$|CloudAppEvents$|CommonSecurityLog$|Alert|Email|AWSCloudTrail$|DnsEvents$|OfficeActivity$|Intune|Syslog$|Windows)/],
  ["Custom logs", /_CL$/],
  ["Other", /./],
];

function category(table) {
  return CATEGORIES.find(([, re]) => re.test(table))[0];
}

export async function render(main, ctx, params) {
  const state = loadTabs();
  if (params.get("q")) {
    openQuery(params.get("q"), "Shared query");
    Object.assign(state, loadTabs());
    history.replaceState(null, "", "/#/query");
  }
  main.innerHTML = `
    <div class="query-page">
      <h1>Logs</h1>
      <div class="query-layout">
        <aside class="schema" aria-label="Tables and queries"><h2>Tables</h2><input type="search" aria-label="Filter tables" placeholder="Filter tables"><ul class="tables"></ul>
          <h2>Queries</h2><ul class="queries"></ul></aside>
        <div class="workarea">
          <div class="tabs"><div role="tablist" aria-label="Queries" class="tablist"></div><button class="add" aria-label="New query tab" title="New query tab">+</button></div>
          <div class="toolbar">
            <button class="primary run">Run</button>
            <label>Time range <select class="range"></select></label>
            <button class="secondary fmt">Format query</button>
            <button class="secondary share">Copy link</button>
            <button class="secondary hist" aria-expanded="false">History</button>
            <button class="secondary save" aria-expanded="false">Save</button>
            <span class="save-form" hidden><input type="text" class="save-name" aria-label="Name of the saved query"><button class="primary save-ok">Save query</button><button class="secondary save-cancel">Cancel</button></span>
            <span class="muted hint">Shift+Enter runs the query under the cursor</span>
          </div>
          <div class="editor-host" role="tabpanel"></div>
          <section class="results" aria-label="Results">
            <div class="bar">
              <div role="tablist" aria-label="Result views" class="views">
                <button role="tab" aria-selected="true" data-view="table" id="view-table">Results</button>
                <button role="tab" aria-selected="false" data-view="chart" id="view-chart" tabindex="-1">Chart</button>
              </div>
              <label class="tablepick" hidden>Result <select aria-label="Result table"></select></label>
              <label class="chartkind" hidden>Chart type <select aria-label="Chart type"></select></label>
              <span class="rowfilter-box" hidden><select class="filtercol" aria-label="Column to filter"></select><input type="search" class="rowfilter" aria-label="Filter rows" placeholder="Filter rows"></span>
              <button class="secondary csv" hidden>Export CSV</button>
              <span class="stats" role="status"></span>
            </div>
            <div class="panel"><p class="muted empty">Run a query to see its results.</p></div>
          </section>
        </div>
      </div>
      <div class="history" hidden role="dialog" aria-label="Query history"></div>
    </div>`;
  const $ = (s) => main.querySelector(s);
  const tablist = $(".tablist"), rangeSel = $(".range"), panel = $(".panel"), stats = $(".stats");
  const hist = $(".history");
  rangeSel.innerHTML = `<option value="">Set in query</option>` + RANGES.map(([v, l]) => `<option value="${v}">${l}</option>`).join("");
  rangeSel.value = localStorage.getItem("idlogs.range") || "P1D";
  let view = "table", chartKind = null;

  const editor = new Editor($(".editor-host"), {
    onRun: (text) => run(text),
    onChange: (text) => {
      const tab = state.tabs.find((t) => t.id === state.active);
      if (tab) { tab.text = text; saveTabs(state); }
      updateRange(text);
    },
    check: (text) => api.check(ctx.workspaceId, text),
    complete: (text, at) => api.complete(ctx.workspaceId, text, at),
  });
  const rangeLast = () => localStorage.getItem("idlogs.range") || "P1D";
  function updateRange(text) {
    const inQuery = setInQuery(text);
    rangeSel.options[0].disabled = !inQuery;
    if (inQuery) rangeSel.value = "";
    else if (rangeSel.value === "") rangeSel.value = rangeLast();
  }
  rangeSel.addEventListener("change", () => { if (rangeSel.value) localStorage.setItem("idlogs.range", rangeSel.value); });

  function drawTabs() {
    tablist.innerHTML = state.tabs.map((t) =>
      `<button role="tab" id="qtab-${t.id}" data-id="${t.id}" aria-selected="${t.id === state.active}" tabindex="${t.id === state.active ? 0 : -1}" title="Delete closes the tab">${esc(t.title)}</button>`).join("");
    $(".editor-host").setAttribute("aria-labelledby", "qtab-" + state.active);
  }
  function activate(id, focusTab) {
    state.active = id;
    saveTabs(state);
    drawTabs();
    editor.value = state.tabs.find((t) => t.id === id).text;
    updateRange(editor.value);
    if (focusTab) tablist.querySelector(`[data-id="${id}"]`).focus();
  }
  tablist.addEventListener("click", (e) => { const b = e.target.closest("[role=tab]"); if (b) activate(Number(b.dataset.id)); });
  tablist.addEventListener("keydown", (e) => {
    const i = state.tabs.findIndex((t) => t.id === state.active);
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      const n = state.tabs.length;
      activate(state.tabs[(i + (e.key === "ArrowRight" ? 1 : n - 1)) % n].id, true);
    } else if (e.key === "Delete" && state.tabs.length > 1) {
      e.preventDefault();
      state.tabs.splice(i, 1);
      activate(state.tabs[Math.max(0, i - 1)].id, true);
    } else if (e.key === "Enter") {
      e.preventDefault();
      editor.focus();
    }
  });
  $(".add").addEventListener("click", () => {
    const id = state.next++;
    state.tabs.push({ id, title: `New query ${id}`, text: "" });
    activate(id);
    editor.focus();
  });
  drawTabs();
  editor.value = state.tabs.find((t) => t.id === state.active)?.text ?? "";
  updateRange(editor.value);

  $(".run").addEventListener("click", () => run(blockAt(editor.value, editor.ta.selectionStart).text));
  $(".fmt").addEventListener("click", async () => {
    // idlogs' own formatter; the page's pipe breaking when it cannot be
    // reached.
    try {
      editor.value = (await api.formatQuery(ctx.workspaceId, editor.value)).query;
    } catch {
      editor.value = format(editor.value);
    }
    editor.focus();
  });
  $(".share").addEventListener("click", async () => {
    const link = `${location.origin}/#/query?q=${encodeURIComponent(blockAt(editor.value, editor.ta.selectionStart).text)}`;
    try { await navigator.clipboard.writeText(link); stats.textContent = "Link copied."; } catch { stats.textContent = link; }
  });
  $(".hist").addEventListener("click", (e) => {
    const open = hist.hidden;
    e.currentTarget.setAttribute("aria-expanded", String(open));
    if (!open) { hist.hidden = true; return; }
    const items = JSON.parse(localStorage.getItem(HISTORY) || "[]");
    hist.innerHTML = `<h2>History</h2>` + (items.length ? `<ol>${items.map((h, i) =>
      `<li><button class="link" data-i="${i}">${esc(new Date(h.at).toLocaleString())} · ${h.rows ?? "error"} rows</button><code>${esc(h.query)}</code></li>`).join("")}</ol>` : `<p class="muted">No queries run yet.</p>`);
    hist.hidden = false;
    hist.querySelector("button")?.focus();
  });
  hist.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-i]");
    if (!b) return;
    const items = JSON.parse(localStorage.getItem(HISTORY) || "[]");
    editor.value = items[Number(b.dataset.i)].query;
    hist.hidden = true;
    $(".hist").setAttribute("aria-expanded", "false");
    editor.focus();
  });
  hist.addEventListener("keydown", (e) => { if (e.key === "Escape") { hist.hidden = true; $(".hist").focus(); } });

  // Views: results grid and chart.
  const views = $(".views");
  const kindSel = $(".chartkind select");
  kindSel.innerHTML = KINDS.map((k) => `<option>${k}</option>`).join("");
  kindSel.addEventListener("change", () => { chartKind = kindSel.value; show(); });
  $(".tablepick select").addEventListener("change", (e) => { lastResult.index = Number(e.target.value); show(); });
  views.addEventListener("click", (e) => { const b = e.target.closest("[role=tab]"); if (b) { view = b.dataset.view; show(); } });
  views.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      view = view === "table" ? "chart" : "table";
      show();
      views.querySelector(`[data-view=${view}]`).focus();
    }
  });
  const applyFilter = () => grid?.filter($(".rowfilter").value, Number($(".filtercol").value));
  $(".rowfilter").addEventListener("input", applyFilter);
  $(".filtercol").addEventListener("change", applyFilter);
  $(".csv").addEventListener("click", () => {
    if (!grid) return;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([grid.csv()], { type: "text/csv" }));
    a.download = "query-results.csv";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  let grid = null;
  function show() {
    for (const b of views.querySelectorAll("[role=tab]")) {
      const on = b.dataset.view === view;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", "view-" + view);
    $(".chartkind").hidden = view !== "chart" || !lastResult;
    $(".rowfilter-box").hidden = $(".csv").hidden = view !== "table" || !lastResult;
    if (!lastResult) return;
    const { tables, render: r } = lastResult;
    const table = tables[lastResult.index];
    const pick = $(".tablepick");
    pick.hidden = tables.length < 2;
    if (tables.length > 1) {
      pick.querySelector("select").innerHTML = tables.map((t, i) =>
        `<option value="${i}"${i === lastResult.index ? " selected" : ""}>${esc(t.name || "Table " + (i + 1))} (${t.rows.length.toLocaleString()} rows)</option>`).join("");
    }
    if (view === "table") {
      panel.innerHTML = `<div class="gridhost grid-wrap"></div><div class="details" hidden></div>`;
      const host = panel.querySelector(".gridhost");
      grid = new Grid(host, { onSelect: (col, v) => details(col, v) });
      grid.set(table.columns, table.rows);
      const fc = $(".filtercol");
      const keep = fc.value;
      fc.innerHTML = `<option value="-1">All columns</option>` + table.columns.map((c, i) => `<option value="${i}">${esc(c.name)}</option>`).join("");
      if (keep && Number(keep) < table.columns.length) fc.value = keep;
      if ($(".rowfilter").value) applyFilter();
    } else {
      const kind = chartKind || (r && KINDS.includes(r.visualization) ? r.visualization : "columnchart");
      kindSel.value = kind;
      panel.innerHTML = `<div class="chart"></div>`;
      renderChart(panel.querySelector(".chart"), kind, table.columns, table.rows, r ? {
        title: r.title, xTitle: r.xTitle, yTitle: r.yTitle, xColumn: r.xColumn, yColumns: r.yColumns, legend: r.legend,
        yMin: r.yMin, yMax: r.yMax, accumulate: r.accumulate, series: r.series, kind: r.kind,
      } : {});
    }
  }
  function details(col, v) {
    const d = panel.querySelector(".details");
    let value = v;
    if (col.type === "dynamic" && typeof v === "string") { try { value = JSON.parse(v); } catch { /* not JSON */ } }
    d.hidden = false;
    d.innerHTML = `<div class="actions"><strong>${esc(col.name)}</strong> <span class="muted">${esc(col.type)}</span>
      <button class="link copy">Copy value</button><button class="link addf" data-path="">Add as filter</button></div>`;
    const leaves = value !== null && typeof value === "object" ? flatten(value, col.name).slice(0, 300) : [];
    if (leaves.length) {
      d.insertAdjacentHTML("beforeend", `<table class="paths"><caption class="visually-hidden">Values of ${esc(col.name)} by path</caption>
        <thead><tr><th scope="col">Path</th><th scope="col">Value</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>${leaves.map(([path, leaf], i) =>
        `<tr><td><code>${esc(path)}</code></td><td>${esc(leaf === null ? "null" : String(leaf))}</td>
          <td><button class="link copypath" data-i="${i}">Copy path</button> <button class="link addf" data-i="${i}">Add as filter</button></td></tr>`).join("")}</tbody></table>`);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = v === null ? "null" : cellText(v);
      d.appendChild(pre);
    }
    d.onclick = (e) => {
      const b = e.target.closest("button");
      if (!b) return;
      if (b.classList.contains("copy")) navigator.clipboard?.writeText(cellText(v));
      if (b.classList.contains("copypath")) navigator.clipboard?.writeText(leaves[Number(b.dataset.i)][0]);
      if (!b.classList.contains("addf")) return;
      const [expr, leaf, type] = b.dataset.i !== undefined
        ? [leaves[Number(b.dataset.i)][0], leaves[Number(b.dataset.i)][1], "dynamic"]
        : [col.name, v, col.type];
      const cond = filterFor(expr, leaf, type);
      const blk = blockAt(editor.value, editor.ta.selectionStart);
      const text = editor.value;
      editor.value = text.slice(0, blk.end).replace(/\s*$/, "") + `\n| where ${cond}` + text.slice(blk.end);
      editor.focus();
    };
  }

  async function run(text) {
    if (!text.trim()) return;
    const timespan = setInQuery(text) ? null : rangeSel.value || rangeLast();
    stats.textContent = "Running…";
    panel.setAttribute("aria-busy", "true");
    const t0 = performance.now();
    let entry = { query: text, at: Date.now() };
    try {
      const resp = await api.query(ctx.workspaceId, text, timespan);
      const t1 = performance.now();
      const table = resp.tables[0] || { columns: [], rows: [] };
      lastResult = { tables: resp.tables.length ? resp.tables : [table], index: 0, render: resp.render && resp.render.visualization ? resp.render : null };
      entry.rows = table.rows.length;
      const st = resp.statistics?.query;
      const ds = st?.datasetStatistics?.[0];
      stats.textContent = `${table.rows.length.toLocaleString()} rows · ${((t1 - t0) / 1000).toFixed(2)} s` +
        (st ? ` (engine ${st.executionTime.toFixed(3)} s, ${st.inputDatasetStatistics.rows.scanned.toLocaleString()} rows scanned, ${(ds ? ds.tableSize / 1024 : 0).toFixed(0)} KB)` : "") +
        (timespan ? ` · ${RANGES.find((r) => r[0] === timespan)?.[1] || timespan}` : " · time range set in query");
      if (resp.error) stats.textContent += " · partial: " + (resp.error.message || "");
      view = lastResult.render ? "chart" : "table";
      chartKind = null;
      show();
      // For measurements: the request with its JSON decoding, then the
      // results drawn.
      performance.measure("idlogs-query-request", { start: t0, end: t1 });
      performance.measure("idlogs-query-render", { start: t1, end: performance.now() });
    } catch (e) {
      lastResult = null;
      show();
      panel.innerHTML = `<div class="alert" role="alert">${e.status === 403 ? "<strong>403 Forbidden.</strong> " : ""}${esc(e.message)}</div>`;
      stats.textContent = "Failed.";
    } finally {
      panel.removeAttribute("aria-busy");
      const items = JSON.parse(localStorage.getItem(HISTORY) || "[]");
      items.unshift(entry);
      localStorage.setItem(HISTORY, JSON.stringify(items.slice(0, 50)));
    }
  }
  if (lastResult) show();

  // Saved queries and the query pack.
  const queriesList = $(".schema ul.queries");
  const saved = () => JSON.parse(localStorage.getItem(SAVED) || "[]");
  function drawQueries() {
    const mine = saved();
    queriesList.innerHTML = `<li><details><summary>Query pack <span class="muted">(${PACK.length})</span></summary><ul>${PACK.map((p, i) =>
      `<li><button class="table" data-pack="${i}" title="${esc(p.query)}">${esc(p.title)}</button></li>`).join("")}</ul></details></li>
      <li><details${mine.length ? " open" : ""}><summary>Saved <span class="muted">(${mine.length})</span></summary><ul>${mine.map((p, i) =>
      `<li class="saved-query"><button class="table" data-saved="${i}" title="${esc(p.query)}">${esc(p.name)}</button><button class="link del" data-del="${i}" aria-label="Delete saved query ${esc(p.name)}">Delete</button></li>`).join("") || `<li class="muted">Nothing saved yet.</li>`}</ul></details></li>`;
  }
  queriesList.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.del !== undefined) {
      const mine = saved();
      mine.splice(Number(b.dataset.del), 1);
      localStorage.setItem(SAVED, JSON.stringify(mine));
      drawQueries();
      return;
    }
    const item = b.dataset.pack !== undefined ? { name: PACK[Number(b.dataset.pack)].title, query: PACK[Number(b.dataset.pack)].query }
      : saved()[Number(b.dataset.saved)];
    const id = state.next++;
    state.tabs.push({ id, title: item.name, text: item.query });
    activate(id);
    editor.focus();
  });
  const saveForm = $(".save-form"), saveName = $(".save-name");
  $(".save").addEventListener("click", (e) => {
    saveForm.hidden = !saveForm.hidden;
    e.currentTarget.setAttribute("aria-expanded", String(!saveForm.hidden));
    if (!saveForm.hidden) {
      saveName.value = state.tabs.find((t) => t.id === state.active)?.title || "";
      saveName.select();
      saveName.focus();
    }
  });
  const doSave = () => {
    const name = saveName.value.trim();
    if (!name) { saveName.focus(); return; }
    const mine = saved().filter((p) => p.name !== name);
    mine.unshift({ name, query: blockAt(editor.value, editor.ta.selectionStart).text });
    localStorage.setItem(SAVED, JSON.stringify(mine));
    const tab = state.tabs.find((t) => t.id === state.active);
    if (tab) { tab.title = name; saveTabs(state); drawTabs(); }
    saveForm.hidden = true;
    $(".save").setAttribute("aria-expanded", "false");
    drawQueries();
    stats.textContent = `Saved “${name}”.`;
    editor.focus();
  };
  $(".save-ok").addEventListener("click", doSave);
  saveName.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); doSave(); }
    if (e.key === "Escape") { saveForm.hidden = true; $(".save").focus(); }
  });
  $(".save-cancel").addEventListener("click", () => { saveForm.hidden = true; $(".save").focus(); });
  drawQueries();

  // Tables and their columns, from the language service.
  const schemaList = $(".schema ul.tables");
  const filterInput = $(".schema input");
  let tables = [];
  function drawSchema() {
    const f = filterInput.value.toLowerCase();
    const groups = new Map(CATEGORIES.map(([name]) => [name, []]));
    for (const t of tables) if (t.toLowerCase().includes(f)) groups.get(category(t)).push(t);
    schemaList.innerHTML = [...groups].filter(([, ts]) => ts.length).map(([name, ts]) =>
      `<li><details${f || name === CATEGORIES[0][0] ? " open" : ""}><summary>${esc(name)} <span class="muted">(${ts.length})</span></summary><ul>${ts.map((t) =>
        `<li><button class="table" aria-expanded="false" data-t="${esc(t)}" title="${esc(t)}">▸ ${esc(t)}</button><ul class="cols" hidden></ul></li>`).join("")}</ul></details></li>`).join("");
  }
  filterInput.addEventListener("input", drawSchema);
  schemaList.addEventListener("click", async (e) => {
    const b = e.target.closest("button.table");
    if (!b) return;
    const cols = b.nextElementSibling;
    const open = cols.hidden;
    b.setAttribute("aria-expanded", String(open));
    b.textContent = (open ? "▾ " : "▸ ") + b.dataset.t;
    cols.hidden = !open;
    if (open && !cols.childElementCount) {
      const q = `${b.dataset.t} | where `;
      try {
        const r = await api.complete(ctx.workspaceId, q, q.length);
        cols.innerHTML = r.items.filter((i) => i.kind === "column").map((i) => `<li>${esc(i.label)} <span>(${esc(i.detail)})</span></li>`).join("");
      } catch (err) {
        cols.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    }
  });
  try {
    const r = await api.complete(ctx.workspaceId, "", 0);
    tables = r.items.filter((i) => i.kind === "table").map((i) => i.label);
    editor.setTables(tables);
    drawSchema();
  } catch (e) {
    schemaList.innerHTML = `<li class="error">${e.status === 403 ? "403: " : ""}${esc(e.message)}</li>`;
  }
  editor.runCheck();
  editor.focus();
}
