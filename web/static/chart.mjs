// Hand-written SVG charts for the `render` operator and the chart tab:
// timechart, linechart, areachart, scatterchart, columnchart, barchart and
// piechart.

export const KINDS = ["timechart", "linechart", "areachart", "scatterchart", "columnchart", "barchart", "piechart"];
const NUMERIC = new Set(["int", "long", "real", "double", "decimal"]);
const PALETTE = ["#0f6cbd", "#e3008c", "#107c10", "#ca5010", "#5c2e91", "#038387", "#8e562e", "#c239b3", "#4f6bed", "#986f0b", "#13a10e", "#69797e"];
const W = 800, H = 300;
const LINES = new Set(["timechart", "linechart", "areachart", "scatterchart"]);

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function niceTicks(min, max, n = 5) {
  if (!(max > min)) { max = min + 1; }
  const span = max - min;
  const step0 = Math.pow(10, Math.floor(Math.log10(span / n)));
  const err = span / n / step0;
  const step = step0 * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
  const lo = Math.floor(min / step) * step, hi = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function fmtNum(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(1).replace(/\.0$/, "") + "B";
  if (a >= 1e6) return (v / 1e6).toFixed(1).replace(/\.0$/, "") + "M";
  if (a >= 1e4) return (v / 1e3).toFixed(1).replace(/\.0$/, "") + "K";
  return String(Number(v.toPrecision(6)));
}

function fmtTime(ms, span) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  if (span > 2 * 86400e3) return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:00`;
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Picks the columns of a chart: x (or labels), y columns and a series column. */
export function chartColumns(kind, columns, props = {}) {
  const idx = (name) => columns.findIndex((c) => c.name === name);
  const numeric = columns.map((c, i) => (NUMERIC.has(c.type) ? i : -1)).filter((i) => i >= 0);
  let x = props.xColumn ? idx(props.xColumn) : -1;
  if (x < 0) {
    if (kind === "timechart" || kind === "linechart" || kind === "areachart" || kind === "scatterchart") {
      x = columns.findIndex((c) => c.type === "datetime");
      if (x < 0) x = numeric[0] ?? 0;
    } else {
      x = columns.findIndex((c) => c.type === "string");
      if (x < 0) x = columns.findIndex((c) => !NUMERIC.has(c.type));
      if (x < 0) x = 0;
    }
  }
  let ys = (props.yColumns || "").split(",").map((s) => idx(s.trim())).filter((i) => i >= 0);
  if (!ys.length) ys = numeric.filter((i) => i !== x);
  let series = -1;
  if (LINES.has(kind)) {
    series = props.series ? idx(props.series.split(",")[0].trim()) : -1;
    if (series < 0) series = columns.findIndex((c, i) => i !== x && !ys.includes(i) && (c.type === "string" || c.type === "bool"));
  }
  return { x, ys, series };
}

/**
 * Draws a chart of kind into el. Returns false when the result has no
 * column to chart.
 */
export function renderChart(el, kind, columns, rows, props = {}) {
  const { x, ys, series } = chartColumns(kind, columns, props);
  const title = props.title ? `<h3 class="chart-title">${esc(props.title)}</h3>` : "";
  if (!ys.length || !rows.length) {
    el.innerHTML = `<p class="muted">Nothing to chart: the result needs ${rows.length ? "a numeric column" : "rows"}.</p>`;
    return false;
  }
  const label = `${kind} of ${ys.map((i) => columns[i].name).join(", ")} by ${columns[x].name}${series >= 0 ? " and " + columns[series].name : ""}`;
  let body, legend;
  if (kind === "piechart") [body, legend] = pie(columns, rows, x, ys[0]);
  else if (kind === "columnchart" || kind === "barchart") [body, legend] = bars(kind === "barchart", columns, rows, x, ys, props);
  else [body, legend] = lines(kind, columns, rows, x, ys, series, props);
  el.innerHTML = `${title}<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" preserveAspectRatio="xMidYMid meet" data-kind="${kind}"><title>${esc(label)}</title>${body}</svg>` +
    (props.legend === "hidden" ? "" : `<div class="legend">${legend.map(([name, color]) => `<span><span class="swatch"></span>${esc(name)}</span>`).join("")}</div>`);
  // The page's policy allows no style attributes in markup: the swatches'
  // colours are set through the DOM.
  el.querySelectorAll(".swatch").forEach((s, i) => { s.style.background = legend[i][1]; });
  return true;
}

function axes(yTicks, yScale, L, R, T, B, yTitle) {
  let s = "";
  for (const t of yTicks) {
    const y = yScale(t);
    s += `<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#e1dfdd"/><text x="${L - 6}" y="${y + 4}" text-anchor="end" fill="#444">${fmtNum(t)}</text>`;
  }
  s += `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#8a8886"/>`;
  if (yTitle) s += `<text x="12" y="${T + (H - T - B) / 2}" transform="rotate(-90 12 ${T + (H - T - B) / 2})" text-anchor="middle" fill="#444">${esc(yTitle)}</text>`;
  return s;
}

function lines(kind, columns, rows, x, ys, series, props) {
  const L = 60, R = 16, T = 14, B = 34;
  const isTime = columns[x].type === "datetime";
  const xv = (row) => (isTime ? Date.parse(row[x]) : Number(row[x]));
  const groups = new Map();
  for (const row of rows) {
    const xs = xv(row);
    if (!Number.isFinite(xs)) continue;
    for (const y of ys) {
      const name = (series >= 0 ? String(row[series]) + (ys.length > 1 ? " " + columns[y].name : "") : columns[y].name);
      if (!groups.has(name)) groups.set(name, []);
      const v = row[y] === null ? NaN : Number(row[y]);
      groups.get(name).push([xs, v]);
    }
  }
  const names = [...groups.keys()].slice(0, PALETTE.length);
  let xmin = Infinity, xmax = -Infinity, ymin = kind === "scatterchart" ? Infinity : 0, ymax = -Infinity;
  for (const n of names) {
    const pts = groups.get(n).sort((a, b) => a[0] - b[0]);
    if (props.accumulate === true) { let acc = 0; for (const p of pts) { acc += p[1] || 0; p[1] = acc; } }
    for (const [a, b] of pts) {
      xmin = Math.min(xmin, a); xmax = Math.max(xmax, a);
      if (Number.isFinite(b)) { ymin = Math.min(ymin, b); ymax = Math.max(ymax, b); }
    }
  }
  if (Number.isFinite(Number(props.yMin))) ymin = Number(props.yMin);
  if (Number.isFinite(Number(props.yMax))) ymax = Number(props.yMax);
  if (!(ymax > ymin)) ymax = ymin + 1;
  if (!(xmax > xmin)) { xmin -= 1; xmax += 1; }
  const yTicks = niceTicks(ymin, ymax);
  ymin = Math.min(ymin, yTicks[0]); ymax = Math.max(ymax, yTicks[yTicks.length - 1]);
  const sx = (v) => L + ((v - xmin) / (xmax - xmin)) * (W - L - R);
  const sy = (v) => T + (1 - (v - ymin) / (ymax - ymin)) * (H - T - B);
  let s = axes(yTicks, sy, L, R, T, B, props.yTitle);
  for (let i = 0; i <= 5; i++) {
    const v = xmin + ((xmax - xmin) * i) / 5;
    s += `<text x="${sx(v)}" y="${H - B + 16}" text-anchor="middle" fill="#444">${isTime ? fmtTime(v, xmax - xmin) : fmtNum(v)}</text>`;
  }
  if (props.xTitle) s += `<text x="${L + (W - L - R) / 2}" y="${H - 2}" text-anchor="middle" fill="#444">${esc(props.xTitle)}</text>`;
  names.forEach((n, i) => {
    const color = PALETTE[i];
    const pts = groups.get(n).filter((p) => Number.isFinite(p[1]));
    if (kind === "scatterchart") {
      for (const [a, b] of pts.slice(0, 5000)) s += `<circle cx="${sx(a).toFixed(1)}" cy="${sy(b).toFixed(1)}" r="2.5" fill="${color}"/>`;
      return;
    }
    const d = pts.map(([a, b], k) => `${k ? "L" : "M"}${sx(a).toFixed(1)},${sy(b).toFixed(1)}`).join("");
    if (kind === "areachart" && pts.length) {
      s += `<path d="${d}L${sx(pts[pts.length - 1][0]).toFixed(1)},${sy(Math.max(ymin, 0))}L${sx(pts[0][0]).toFixed(1)},${sy(Math.max(ymin, 0))}Z" fill="${color}" fill-opacity="0.25" stroke="none"/>`;
    }
    s += `<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`;
    if (pts.length <= 60) for (const [a, b] of pts) s += `<circle cx="${sx(a).toFixed(1)}" cy="${sy(b).toFixed(1)}" r="2.5" fill="${color}"><title>${esc(n)}: ${b}</title></circle>`;
  });
  return [s, names.map((n, i) => [n, PALETTE[i]])];
}

function bars(horizontal, columns, rows, x, ys, props) {
  const data = rows.slice(0, 60);
  const L = horizontal ? 210 : 60, R = 16, T = 14, B = horizontal ? 24 : 84;
  // kind=stacked puts a row's values on top of each other; stacked100
  // shows them as shares of the row's total.
  const stacked = props.kind === "stacked" || props.kind === "stacked100";
  const pct = props.kind === "stacked100";
  const value = (row, y) => {
    const v = Number(row[y]) || 0;
    if (!pct) return v;
    const total = ys.reduce((a, k) => a + Math.abs(Number(row[k]) || 0), 0) || 1;
    return (v / total) * 100;
  };
  let vmax = 0, vmin = 0;
  for (const row of data) {
    if (stacked) vmax = Math.max(vmax, ys.reduce((a, y) => a + Math.max(0, value(row, y)), 0));
    else for (const y of ys) { const v = value(row, y); vmax = Math.max(vmax, v); vmin = Math.min(vmin, v); }
  }
  const ticks = niceTicks(vmin, vmax);
  vmin = ticks[0]; vmax = ticks[ticks.length - 1];
  const n = data.length, g = stacked ? 1 : ys.length;
  // Each bar: its band index, slot within the band, start and end values.
  const segments = [];
  data.forEach((row, i) => {
    let base = 0;
    ys.forEach((y, j) => {
      const v = value(row, y);
      if (stacked) { segments.push([i, 0, j, base, base + Math.max(v, 0), row]); base += Math.max(v, 0); }
      else segments.push([i, j, j, Math.min(0, v), Math.max(0, v), row]);
    });
  });
  let s = "";
  const tip = (row, j) => `<title>${esc(row[x])}: ${esc(columns[ys[j]].name)} ${Number(row[ys[j]]) || 0}</title>`;
  if (!horizontal) {
    const sy = (v) => T + (1 - (v - vmin) / (vmax - vmin)) * (H - T - B);
    s += axes(ticks, sy, L, R, T, B, props.yTitle);
    const band = (W - L - R) / n, bw = (band * 0.8) / g;
    for (const [i, slot, j, a, b, row] of segments) {
      s += `<rect class="bar" x="${(L + i * band + band * 0.1 + slot * bw).toFixed(1)}" y="${sy(b).toFixed(1)}" width="${Math.max(bw - 1, 1).toFixed(1)}" height="${Math.abs(sy(a) - sy(b)).toFixed(1)}" fill="${PALETTE[j % PALETTE.length]}">${tip(row, j)}</rect>`;
    }
    data.forEach((row, i) => {
      const lx = L + i * band + band / 2;
      s += `<text x="${lx}" y="${H - B + 12}" text-anchor="end" transform="rotate(-35 ${lx} ${H - B + 12})" fill="#444">${esc(String(row[x] ?? "").slice(0, 16))}</text>`;
    });
  } else {
    const sx = (v) => L + ((v - vmin) / (vmax - vmin)) * (W - L - R);
    for (const t of ticks) s += `<line x1="${sx(t)}" x2="${sx(t)}" y1="${T}" y2="${H - B}" stroke="#e1dfdd"/><text x="${sx(t)}" y="${H - B + 14}" text-anchor="middle" fill="#444">${fmtNum(t)}</text>`;
    const band = (H - T - B) / n, bh = (band * 0.8) / g;
    for (const [i, slot, j, a, b, row] of segments) {
      s += `<rect class="bar" x="${sx(a).toFixed(1)}" y="${(T + i * band + band * 0.1 + slot * bh).toFixed(1)}" width="${Math.abs(sx(b) - sx(a)).toFixed(1)}" height="${Math.max(bh - 1, 1).toFixed(1)}" fill="${PALETTE[j % PALETTE.length]}">${tip(row, j)}</rect>`;
    }
    data.forEach((row, i) => {
      s += `<text x="${L - 6}" y="${T + i * band + band / 2 + 4}" text-anchor="end" fill="#444">${esc(String(row[x] ?? "").slice(0, 34))}</text>`;
    });
  }
  return [s, ys.map((y, j) => [columns[y].name, PALETTE[j % PALETTE.length]])];
}

function pie(columns, rows, x, y) {
  let parts = rows.map((r) => [String(r[x] ?? "(empty)"), Math.max(0, Number(r[y]) || 0)]).sort((a, b) => b[1] - a[1]);
  if (parts.length > 10) {
    const other = parts.slice(9).reduce((a, p) => a + p[1], 0);
    parts = parts.slice(0, 9).concat([["Other", other]]);
  }
  const total = parts.reduce((a, p) => a + p[1], 0) || 1;
  const cx = W / 2, cy = H / 2, r = H / 2 - 16;
  let a0 = -Math.PI / 2, s = "";
  parts.forEach(([name, v], i) => {
    const a1 = a0 + (v / total) * 2 * Math.PI;
    const large = a1 - a0 > Math.PI ? 1 : 0;
    const p0 = [cx + r * Math.cos(a0), cy + r * Math.sin(a0)], p1 = [cx + r * Math.cos(a1), cy + r * Math.sin(a1)];
    const d = parts.length === 1 ? `M${cx - r},${cy}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`
      : `M${cx},${cy}L${p0[0].toFixed(1)},${p0[1].toFixed(1)}A${r},${r} 0 ${large},1 ${p1[0].toFixed(1)},${p1[1].toFixed(1)}Z`;
    s += `<path class="slice" d="${d}" fill="${PALETTE[i % PALETTE.length]}" stroke="#fff"><title>${esc(name)}: ${v} (${((v / total) * 100).toFixed(1)}%)</title></path>`;
    a0 = a1;
  });
  return [s, parts.map(([n, v], i) => [`${n} (${((v / total) * 100).toFixed(1)}%)`, PALETTE[i % PALETTE.length]])];
}
