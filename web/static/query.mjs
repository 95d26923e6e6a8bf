// The Logs page: query tabs, the editor, the time range, results as a grid
// or a chart, history.
import { Editor, blockAt, format, setInQuery } from "./editor.mjs";
import { Grid, cellText, flatten, filterFor } from "./grid.mjs";
import { renderChart, KINDS } from "./chart.mjs";
import * as api from "./api.mjs";
import { PACK } from "./pack.mjs";
import { SAVED_VERSION, errorField, errorText, savedSearchProperties, savedSearchList, functionAliases } from "./saved.mjs";

const TABS = "idlogs.tabs", HISTORY = "idlogs.history";
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

/** Shows the Logs page in main. */
export async function render(main, ctx, params) {
  if (params.get("q")) {
    openQuery(params.get("q"), "Shared query");
    history.replaceState(null, "", "/#/query");
  }
  await new LogsPage(main, ctx).start();
}

/** The Logs page: its state is the tabs (kept in localStorage) and the last result. */
class LogsPage {
  constructor(main, ctx) {
    this.ctx = ctx;
    this.state = loadTabs();
    this.view = "table";
    this.chartKind = null;
    this.grid = null;
    this.tables = [];
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
              <button class="secondary save" aria-expanded="false" aria-controls="save-panel">Save</button>
              <span class="muted hint">Shift+Enter runs the query under the cursor</span>
            </div>
            <form class="save-panel" id="save-panel" hidden aria-label="Save the query under the cursor">
              <fieldset class="save-kind"><legend>Save as</legend>
                <label><input type="radio" name="savekind" value="query" checked> Query</label>
                <label><input type="radio" name="savekind" value="function"> Function</label></fieldset>
              <div class="field"><label for="save-name">Name</label><input id="save-name" type="text" required aria-describedby="save-err-name"><span class="field-error" id="save-err-name" aria-live="polite"></span></div>
              <div class="field"><label for="save-category">Category</label><input id="save-category" type="text" required aria-describedby="save-err-category"><span class="field-error" id="save-err-category" aria-live="polite"></span></div>
              <div class="field fn"><label for="save-alias">Function alias</label><input id="save-alias" type="text" aria-describedby="save-err-alias" spellcheck="false"><span class="field-error" id="save-err-alias" aria-live="polite"></span></div>
              <div class="field fn"><label for="save-params">Parameters <span class="muted">(optional)</span></label><input id="save-params" type="text" placeholder="a:long = 1, b:string" aria-describedby="save-err-params" spellcheck="false"><span class="field-error" id="save-err-params" aria-live="polite"></span></div>
              <div class="buttons"><button type="submit" class="primary save-ok">Save</button><button type="button" class="secondary save-cancel">Cancel</button></div>
              <p class="alert save-error" role="alert" hidden></p>
            </form>
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
    this.$ = (s) => main.querySelector(s);
    const $ = this.$;
    this.tablist = $(".tablist");
    this.rangeSel = $(".range");
    this.panel = $(".panel");
    this.stats = $(".stats");
    this.hist = $(".history");
    this.editor = new Editor($(".editor-host"), {
      onRun: (text) => this.run(text),
      onChange: (text) => {
        const tab = this.tab();
        if (tab) { tab.text = text; saveTabs(this.state); }
        this.updateRange(text);
      },
      check: (text) => api.check(ctx.workspaceId, text),
      complete: (text, at) => api.complete(ctx.workspaceId, text, at),
    });
  }

  async start() {
    this.setUpRange();
    this.setUpTabs();
    this.setUpToolbar();
    this.setUpHistory();
    this.setUpViews();
    this.setUpQueries();
    if (lastResult) this.show();
    await this.loadSchema();
    this.editor.runCheck();
    this.editor.focus();
  }

  tab() { return this.state.tabs.find((t) => t.id === this.state.active); }

  block() { return blockAt(this.editor.value, this.editor.ta.selectionStart).text; }

  // Time range: the picker applies unless the query filters TimeGenerated.

  setUpRange() {
    this.rangeSel.innerHTML = `<option value="">Set in query</option>` + RANGES.map(([v, l]) => `<option value="${v}">${l}</option>`).join("");
    this.rangeSel.value = rangeLast();
    this.rangeSel.addEventListener("change", () => { if (this.rangeSel.value) localStorage.setItem("idlogs.range", this.rangeSel.value); });
  }

  updateRange(text) {
    const inQuery = setInQuery(text);
    this.rangeSel.options[0].disabled = !inQuery;
    if (inQuery) this.rangeSel.value = "";
    else if (this.rangeSel.value === "") this.rangeSel.value = rangeLast();
  }

  // Query tabs: arrows move between them, Delete closes one, Enter goes
  // to the editor.

  setUpTabs() {
    this.tablist.addEventListener("click", (e) => { const b = e.target.closest("[role=tab]"); if (b) this.activate(Number(b.dataset.id)); });
    this.tablist.addEventListener("keydown", (e) => this.tabKey(e));
    this.$(".add").addEventListener("click", () => this.newTab(`New query ${this.state.next}`, ""));
    this.drawTabs();
    this.editor.value = this.tab()?.text ?? "";
    this.updateRange(this.editor.value);
  }

  drawTabs() {
    const { tabs, active } = this.state;
    this.tablist.innerHTML = tabs.map((t) =>
      `<button role="tab" id="qtab-${t.id}" data-id="${t.id}" aria-selected="${t.id === active}" tabindex="${t.id === active ? 0 : -1}" title="Delete closes the tab">${esc(t.title)}</button>`).join("");
    this.$(".editor-host").setAttribute("aria-labelledby", "qtab-" + active);
  }

  activate(id, focusTab) {
    this.state.active = id;
    saveTabs(this.state);
    this.drawTabs();
    this.editor.value = this.tab().text;
    this.updateRange(this.editor.value);
    if (focusTab) this.tablist.querySelector(`[data-id="${id}"]`).focus();
  }

  newTab(title, text) {
    const id = this.state.next++;
    this.state.tabs.push({ id, title, text });
    this.activate(id);
    this.editor.focus();
  }

  tabKey(e) {
    const tabs = this.state.tabs;
    const i = tabs.findIndex((t) => t.id === this.state.active);
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      this.activate(tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length].id, true);
    } else if (e.key === "Delete" && tabs.length > 1) {
      e.preventDefault();
      tabs.splice(i, 1);
      this.activate(tabs[Math.max(0, i - 1)].id, true);
    } else if (e.key === "Enter") {
      e.preventDefault();
      this.editor.focus();
    }
  }

  // Toolbar: run, format, share.

  setUpToolbar() {
    const editor = this.editor;
    this.$(".run").addEventListener("click", () => this.run(this.block()));
    this.$(".fmt").addEventListener("click", async () => {
      // idlogs' own formatter; the page's pipe breaking when it cannot be
      // reached.
      try {
        editor.value = (await api.formatQuery(this.ctx.workspaceId, editor.value)).query;
      } catch {
        editor.value = format(editor.value);
      }
      editor.focus();
    });
    this.$(".share").addEventListener("click", async () => {
      const link = `${location.origin}/#/query?q=${encodeURIComponent(this.block())}`;
      try { await navigator.clipboard.writeText(link); this.stats.textContent = "Link copied."; } catch { this.stats.textContent = link; }
    });
  }

  // History: the last 50 queries run, in localStorage.

  setUpHistory() {
    const hist = this.hist, button = this.$(".hist");
    const close = () => { hist.hidden = true; button.setAttribute("aria-expanded", "false"); };
    button.addEventListener("click", () => {
      if (!hist.hidden) { close(); return; }
      const items = readList(HISTORY);
      hist.innerHTML = `<h2>History</h2>` + (items.length ? `<ol>${items.map((h, i) =>
        `<li><button class="link" data-i="${i}">${esc(new Date(h.at).toLocaleString())} · ${h.rows ?? "error"} rows</button><code>${esc(h.query)}</code></li>`).join("")}</ol>` : `<p class="muted">No queries run yet.</p>`);
      hist.hidden = false;
      button.setAttribute("aria-expanded", "true");
      hist.querySelector("button")?.focus();
    });
    hist.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-i]");
      if (!b) return;
      this.editor.value = readList(HISTORY)[Number(b.dataset.i)].query;
      close();
      this.editor.focus();
    });
    hist.addEventListener("keydown", (e) => { if (e.key === "Escape") { close(); button.focus(); } });
  }

  // Result views: the grid and the chart.

  setUpViews() {
    const $ = this.$, views = $(".views"), kindSel = $(".chartkind select");
    kindSel.innerHTML = KINDS.map((k) => `<option>${k}</option>`).join("");
    kindSel.addEventListener("change", () => { this.chartKind = kindSel.value; this.show(); });
    $(".tablepick select").addEventListener("change", (e) => { lastResult.index = Number(e.target.value); this.show(); });
    views.addEventListener("click", (e) => { const b = e.target.closest("[role=tab]"); if (b) { this.view = b.dataset.view; this.show(); } });
    views.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      e.preventDefault();
      this.view = this.view === "table" ? "chart" : "table";
      this.show();
      views.querySelector(`[data-view=${this.view}]`).focus();
    });
    $(".rowfilter").addEventListener("input", () => this.applyFilter());
    $(".filtercol").addEventListener("change", () => this.applyFilter());
    $(".csv").addEventListener("click", () => this.exportCSV());
  }

  applyFilter() {
    this.grid?.filter(this.$(".rowfilter").value, Number(this.$(".filtercol").value));
  }

  exportCSV() {
    if (!this.grid) return;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([this.grid.csv()], { type: "text/csv" }));
    a.download = "query-results.csv";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  show() {
    const $ = this.$, panel = this.panel, view = this.view;
    for (const b of $(".views").querySelectorAll("[role=tab]")) {
      const on = b.dataset.view === view;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", "view-" + view);
    $(".chartkind").hidden = view !== "chart" || !lastResult;
    $(".rowfilter-box").hidden = $(".csv").hidden = view !== "table" || !lastResult;
    if (!lastResult) return;
    const { tables, index } = lastResult;
    const pick = $(".tablepick");
    pick.hidden = tables.length < 2;
    if (tables.length > 1) {
      pick.querySelector("select").innerHTML = tables.map((t, i) =>
        `<option value="${i}"${i === index ? " selected" : ""}>${esc(t.name || "Table " + (i + 1))} (${t.rows.length.toLocaleString()} rows)</option>`).join("");
    }
    if (view === "table") this.showGrid(tables[index]);
    else this.showChart(tables[index], lastResult.render);
  }

  showGrid(table) {
    this.panel.innerHTML = `<div class="gridhost"></div><div class="details" hidden></div>`;
    this.grid = new Grid(this.panel.querySelector(".gridhost"), { onSelect: (col, v) => this.details(col, v) });
    this.grid.set(table.columns, table.rows);
    const fc = this.$(".filtercol"), keep = fc.value;
    fc.innerHTML = `<option value="-1">All columns</option>` + table.columns.map((c, i) => `<option value="${i}">${esc(c.name)}</option>`).join("");
    if (keep && Number(keep) < table.columns.length) fc.value = keep;
    if (this.$(".rowfilter").value) this.applyFilter();
  }

  showChart(table, r) {
    const kind = this.chartKind || (r && KINDS.includes(r.visualization) ? r.visualization : "columnchart");
    this.$(".chartkind select").value = kind;
    this.panel.innerHTML = `<div class="chart"></div>`;
    renderChart(this.panel.querySelector(".chart"), kind, table.columns, table.rows, r ? {
      title: r.title, xTitle: r.xTitle, yTitle: r.yTitle, xColumn: r.xColumn, yColumns: r.yColumns, legend: r.legend,
      yMin: r.yMin, yMax: r.yMax, accumulate: r.accumulate, series: r.series, kind: r.kind,
    } : {});
  }

  /** Shows a cell: its value, or a dynamic value's paths, with copy and add-as-filter. */
  details(col, v) {
    const d = this.panel.querySelector(".details");
    let value = v;
    if (col.type === "dynamic" && typeof v === "string") { try { value = JSON.parse(v); } catch { /* not JSON */ } }
    d.hidden = false;
    d.innerHTML = `<div class="actions"><strong>${esc(col.name)}</strong> <span class="muted">${esc(col.type)}</span>
      <button class="link copy">Copy value</button><button class="link addf">Add as filter</button></div>`;
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
      const leaf = b.dataset.i !== undefined ? leaves[Number(b.dataset.i)] : null;
      this.addFilter(leaf ? filterFor(leaf[0], leaf[1], "dynamic") : filterFor(col.name, v, col.type));
    };
  }

  /** Appends `| where cond` to the query under the cursor. */
  addFilter(cond) {
    const editor = this.editor, text = editor.value;
    const blk = blockAt(text, editor.ta.selectionStart);
    editor.value = text.slice(0, blk.end).replace(/\s*$/, "") + `\n| where ${cond}` + text.slice(blk.end);
    editor.focus();
  }

  async run(text) {
    if (!text.trim()) return;
    const timespan = setInQuery(text) ? null : this.rangeSel.value || rangeLast();
    const stats = this.stats, panel = this.panel;
    stats.textContent = "Running…";
    panel.setAttribute("aria-busy", "true");
    const t0 = performance.now();
    const entry = { query: text, at: Date.now() };
    try {
      const resp = await api.query(this.ctx.workspaceId, text, timespan);
      const t1 = performance.now();
      const table = resp.tables[0] || { columns: [], rows: [] };
      lastResult = { tables: resp.tables.length ? resp.tables : [table], index: 0, render: resp.render && resp.render.visualization ? resp.render : null };
      entry.rows = table.rows.length;
      stats.textContent = describeRun(resp, table, t1 - t0, timespan);
      this.view = lastResult.render ? "chart" : "table";
      this.chartKind = null;
      this.show();
      // For measurements: the request with its JSON decoding, then the
      // results drawn.
      performance.measure("idlogs-query-request", { start: t0, end: t1 });
      performance.measure("idlogs-query-render", { start: t1, end: performance.now() });
    } catch (e) {
      lastResult = null;
      this.show();
      panel.innerHTML = `<div class="alert" role="alert">${e.status === 403 ? "<strong>403 Forbidden.</strong> " : ""}${esc(e.message)}</div>`;
      stats.textContent = "Failed.";
    } finally {
      panel.removeAttribute("aria-busy");
      localStorage.setItem(HISTORY, JSON.stringify([entry, ...readList(HISTORY)].slice(0, 50)));
    }
  }

  // Saved searches (the workspace's, through ARM, with the user's token)
  // and the query pack, in the side pane. A saved search with a function
  // alias is a workspace function that queries call by name.

  savedPath(id) {
    return `${this.ctx.workspaceResourceId}/savedSearches${id === undefined ? "" : "/" + encodeURIComponent(id)}?${SAVED_VERSION}`;
  }

  setUpQueries() {
    const $ = this.$, form = $(".save-panel"), button = $(".save");
    const close = () => { form.hidden = true; button.setAttribute("aria-expanded", "false"); };
    $(".schema ul.queries").addEventListener("click", (e) => this.queryClick(e));
    button.addEventListener("click", () => {
      if (!form.hidden) { close(); return; }
      this.openSave();
      button.setAttribute("aria-expanded", "true");
    });
    for (const r of form.querySelectorAll("input[name=savekind]")) r.addEventListener("change", () => this.saveKind());
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (await this.save()) { close(); this.editor.focus(); }
    });
    form.addEventListener("keydown", (e) => { if (e.key === "Escape") { close(); button.focus(); } });
    $(".save-cancel").addEventListener("click", () => { close(); button.focus(); });
    this.drawQueries();
    this.loadSaved();
  }

  /** Opens the save form with the tab's saved search, if it came from one. */
  openSave() {
    const form = this.$(".save-panel"), tab = this.tab(), s = tab?.saved;
    form.hidden = false;
    form.querySelector(`input[value=${s?.functionAlias ? "function" : "query"}]`).checked = true;
    form.querySelector("#save-name").value = s?.displayName || tab?.title || "";
    form.querySelector("#save-category").value = s?.category || "Saved queries";
    form.querySelector("#save-alias").value = s?.functionAlias || "";
    form.querySelector("#save-params").value = s?.functionParameters || "";
    form.querySelector(".save-ok").textContent = s ? "Update" : "Save";
    this.saveKind();
    this.saveError(null);
    form.querySelector("#save-name").select();
    form.querySelector("#save-name").focus();
  }

  saveKind() {
    const fn = this.$(".save-panel input[value=function]").checked;
    for (const f of this.$(".save-panel").querySelectorAll(".fn")) f.hidden = !fn;
    this.$("#save-alias").required = fn;
  }

  /** Shows Azure's error beside the field it names, or below the form; null clears. */
  saveError(e) {
    const form = this.$(".save-panel");
    for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const general = form.querySelector(".save-error");
    general.hidden = true;
    if (!e) return;
    const msg = errorText(e.status, e.message);
    const field = errorField(e.status, e.message);
    if (field) {
      form.querySelector(`#save-err-${field}`).textContent = msg;
      const input = form.querySelector(`#save-${field}`);
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      general.textContent = msg;
      general.hidden = false;
    }
  }

  /** Saves the query under the cursor as a saved search; true when it is saved. */
  async save() {
    const form = this.$(".save-panel"), val = (id) => form.querySelector(id).value;
    const fn = form.querySelector("input[value=function]").checked;
    const props = savedSearchProperties({ name: val("#save-name"), category: val("#save-category"), query: this.block(),
      fn, alias: val("#save-alias"), params: val("#save-params") });
    const tab = this.tab();
    const id = tab?.saved?.id || crypto.randomUUID();
    form.setAttribute("aria-busy", "true");
    try {
      const r = await api.arm("PUT", this.savedPath(id), { properties: props });
      this.saveError(null);
      if (tab) { tab.title = props.displayName; tab.saved = { id: r.name || id, ...r.properties }; saveTabs(this.state); this.drawTabs(); }
      this.stats.textContent = fn ? `Saved function ${props.functionAlias}.` : `Saved “${props.displayName}”.`;
      await this.loadSaved();
      // The checker now knows the function.
      this.editor.runCheck();
      return true;
    } catch (e) {
      this.saveError(e);
      return false;
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  /** Reads the workspace's saved searches and draws them. */
  async loadSaved() {
    try {
      const r = await api.arm("GET", this.savedPath());
      this.saved = savedSearchList(r);
      this.savedError = "";
    } catch (e) {
      this.saved = [];
      this.savedError = errorText(e.status, e.message);
    }
    this.drawQueries();
    this.setNames();
  }

  drawQueries() {
    const ul = this.$(".schema ul.queries");
    // The page may have been left (or the sign-in shown) meanwhile.
    if (!ul) return;
    const saved = this.saved || [];
    const items = this.savedError ? `<li class="error" role="alert">${esc(this.savedError)}</li>` : saved.map((s, i) =>
      `<li class="saved-query"><button class="table" data-saved="${i}" title="${esc(s.query)}">${esc(s.displayName)}</button><button class="link del" data-del="${i}" aria-label="Delete ${esc(s.displayName)}">Delete</button>
        <span class="meta">${esc(s.category)}${s.functionAlias ? ` · <code>${esc(s.functionAlias)}(${esc(s.functionParameters || "")})</code>` : ""}</span></li>`).join("") ||
      `<li class="muted">${this.saved ? "Nothing saved yet." : "Loading…"}</li>`;
    ul.innerHTML = `<li><details><summary>Query pack <span class="muted">(${PACK.length})</span></summary><ul>${PACK.map((p, i) =>
      `<li><button class="table" data-pack="${i}" title="${esc(p.query)}">${esc(p.title)}</button></li>`).join("")}</ul></details></li>
      <li><details open><summary>Saved searches and functions <span class="muted">(${saved.length})</span></summary><ul class="saved">${items}</ul></details></li>`;
  }

  async queryClick(e) {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.del !== undefined) {
      const s = this.saved[Number(b.dataset.del)];
      if (!confirm(`Delete the saved ${s.functionAlias ? "function " + s.functionAlias : "search"} “${s.displayName}” from the workspace?`)) return;
      try {
        await api.arm("DELETE", this.savedPath(s.id));
        this.stats.textContent = `Deleted “${s.displayName}”.`;
        // Saving such a tab again makes a new saved search.
        for (const t of this.state.tabs) if (t.saved?.id === s.id) delete t.saved;
        saveTabs(this.state);
        await this.loadSaved();
        this.$(".schema ul.queries summary:last-of-type")?.focus();
        this.editor.runCheck();
      } catch (err) {
        this.stats.textContent = errorText(err.status, err.message);
      }
      return;
    }
    if (b.dataset.pack !== undefined) {
      const p = PACK[Number(b.dataset.pack)];
      this.newTab(p.title, p.query);
      return;
    }
    const s = this.saved[Number(b.dataset.saved)];
    this.newTab(s.displayName, s.query);
    this.tab().saved = s;
    saveTabs(this.state);
  }

  // Tables by category and their columns, from the language service.

  async loadSchema() {
    const list = this.$(".schema ul.tables"), filter = this.$(".schema input");
    filter.addEventListener("input", () => this.drawSchema());
    list.addEventListener("click", (e) => this.schemaClick(e));
    try {
      const r = await api.complete(this.ctx.workspaceId, "", 0);
      this.tables = r.items.filter((i) => i.kind === "table").map((i) => i.label);
      this.setNames();
      this.drawSchema();
    } catch (e) {
      list.innerHTML = `<li class="error">${e.status === 403 ? "403: " : ""}${esc(e.message)}</li>`;
    }
  }

  /** The editor highlights the workspace's tables and functions alike. */
  setNames() {
    this.editor.setTables([...this.tables, ...functionAliases(this.saved || [])]);
  }

  drawSchema() {
    const f = this.$(".schema input").value.toLowerCase();
    const groups = new Map(CATEGORIES.map(([name]) => [name, []]));
    for (const t of this.tables) if (t.toLowerCase().includes(f)) groups.get(category(t)).push(t);
    this.$(".schema ul.tables").innerHTML = [...groups].filter(([, ts]) => ts.length).map(([name, ts]) =>
      `<li><details${f || name === CATEGORIES[0][0] ? " open" : ""}><summary>${esc(name)} <span class="muted">(${ts.length})</span></summary><ul>${ts.map((t) =>
        `<li><button class="table" aria-expanded="false" data-t="${esc(t)}" title="${esc(t)}">▸ ${esc(t)}</button><ul class="cols" hidden></ul></li>`).join("")}</ul></details></li>`).join("");
  }

  async schemaClick(e) {
    const b = e.target.closest("button.table");
    if (!b) return;
    const cols = b.nextElementSibling;
    const open = cols.hidden;
    b.setAttribute("aria-expanded", String(open));
    b.textContent = (open ? "▾ " : "▸ ") + b.dataset.t;
    cols.hidden = !open;
    if (!open || cols.childElementCount) return;
    const q = `${b.dataset.t} | where `;
    try {
      const r = await api.complete(this.ctx.workspaceId, q, q.length);
      cols.innerHTML = r.items.filter((i) => i.kind === "column").map((i) => `<li>${esc(i.label)} <span>(${esc(i.detail)})</span></li>`).join("");
    } catch (err) {
      cols.innerHTML = `<li class="error">${esc(err.message)}</li>`;
    }
  }
}

const rangeLast = () => localStorage.getItem("idlogs.range") || "P1D";

function readList(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "[]");
  } catch {
    return [];
  }
}

/** The status line of a run: rows, time, the engine's statistics, the time range. */
function describeRun(resp, table, ms, timespan) {
  const st = resp.statistics?.query;
  const ds = st?.datasetStatistics?.[0];
  return `${table.rows.length.toLocaleString()} rows · ${(ms / 1000).toFixed(2)} s` +
    (st ? ` (engine ${st.executionTime.toFixed(3)} s, ${st.inputDatasetStatistics.rows.scanned.toLocaleString()} rows scanned, ${(ds ? ds.tableSize / 1024 : 0).toFixed(0)} KB)` : "") +
    (timespan ? ` · ${RANGES.find((r) => r[0] === timespan)?.[1] || timespan}` : " · time range set in query") +
    (resp.error ? " · partial: " + (resp.error.message || "") : "");
}
