// The sign-ins workbook: tiles over SigninLogs and the risk tables, each
// with its query one click away in the editor.
import * as api from "./api.mjs";
import { renderChart } from "./chart.mjs";
import { openQuery } from "./query.mjs";
import { TILES } from "./pack.mjs";

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

const RANGES = [["PT4H", "Last 4 hours"], ["P1D", "Last 24 hours"], ["P7D", "Last 7 days"], ["P30D", "Last 30 days"]];

export async function render(main, ctx) {
  const range = localStorage.getItem("idlogs.workbook.range") || "P7D";
  main.innerHTML = `
    <h1>Sign-ins workbook</h1>
    <div class="toolbar"><label>Time range <select class="range">${RANGES.map(([v, l]) => `<option value="${v}"${v === range ? " selected" : ""}>${l}</option>`).join("")}</select></label></div>
    <div class="tiles">${TILES.map((t) => `
      <section class="tile" data-tile="${t.id}" aria-labelledby="tile-${t.id}">
        <h2><span id="tile-${t.id}">${esc(t.title)}</span><button class="link open" data-id="${t.id}" aria-label="Open the query of ${esc(t.title)} in the editor">Open in editor</button></h2>
        <div class="body" aria-busy="true"><p class="muted">Loading…</p></div>
      </section>`).join("")}
    </div>`;
  main.querySelector(".range").addEventListener("change", (e) => {
    localStorage.setItem("idlogs.workbook.range", e.target.value);
    render(main, ctx);
  });
  main.addEventListener("click", (e) => {
    const b = e.target.closest("button.open");
    if (!b) return;
    const t = TILES.find((x) => x.id === b.dataset.id);
    openQuery(t.query, t.title);
    // The editor's time range follows the workbook's.
    localStorage.setItem("idlogs.range", main.querySelector(".range").value);
    location.hash = "#/query";
  });
  await Promise.all(TILES.map(async (t) => {
    const body = main.querySelector(`[data-tile="${t.id}"] .body`);
    try {
      const resp = await api.query(ctx.workspaceId, t.query, range);
      const table = resp.tables[0];
      if (t.chart === "table") {
        body.innerHTML = table.rows.length ? `<table class="list"><thead><tr>${table.columns.map((c) => `<th scope="col">${esc(c.name)}</th>`).join("")}</tr></thead>
          <tbody>${table.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v ?? "")}</td>`).join("")}</tr>`).join("")}</tbody></table>`
          : `<p class="muted">None in this time range.</p>`;
      } else {
        body.innerHTML = `<div class="chart"></div>`;
        renderChart(body.firstChild, t.chart, table.columns, table.rows, {});
      }
    } catch (e) {
      body.innerHTML = `<p class="alert" role="alert">${e.status === 403 ? "<strong>403 Forbidden.</strong> " : ""}${esc(e.message)}</p>`;
    }
    body.removeAttribute("aria-busy");
  }));
}
