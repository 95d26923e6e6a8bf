// A virtualised results grid: only the rows in view are in the document,
// so half a million rows scroll as smoothly as fifty. Sorting and
// filtering reorder an index array; the rows themselves are never copied.

const ROW = 24;
const NUMERIC = new Set(["int", "long", "real", "double", "decimal"]);

/** Formats a cell for display. */
export function cellText(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** The leaves of a dynamic value: [KQL path, value]. */
export function flatten(value, path) {
  if (value === null || typeof value !== "object") return [[path, value]];
  const out = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...flatten(v, `${path}[${i}]`)));
  else for (const [k, v] of Object.entries(value)) out.push(...flatten(v, /^[A-Za-z_]\w*$/.test(k) ? `${path}.${k}` : `${path}["${k.replace(/"/g, '\\"')}"]`));
  return out;
}

/** A where condition matching value in expr, a column or a dynamic path. */
export function filterFor(expr, value, type) {
  if (value === null || value === undefined) return `isnull(${expr})`;
  if (type === "dynamic") {
    if (typeof value === "number") return `todouble(${expr}) == ${value}`;
    if (typeof value === "boolean") return `tobool(${expr}) == ${value}`;
    return `tostring(${expr}) == ${JSON.stringify(String(value))}`;
  }
  if (["int", "long", "real", "decimal", "bool"].includes(type)) return `${expr} == ${value}`;
  if (type === "datetime") return `${expr} == datetime(${value})`;
  if (type === "timespan") return `${expr} == timespan(${value})`;
  return `${expr} == ${JSON.stringify(String(value))}`;
}

export class Grid {
  /**
   * @param {HTMLElement} root
   * @param {{onSelect?: Function, label?: string}} opts
   */
  constructor(root, opts = {}) {
    this.opts = opts;
    root.innerHTML = `
      <div class="grid" role="grid" aria-label="${opts.label || "Results"}">
        <div class="head" role="row" aria-rowindex="1"></div>
        <div class="viewport" tabindex="0" role="rowgroup" aria-label="Result rows; use the arrow and page keys to scroll">
          <div class="spacer"><div class="rows"></div></div>
        </div>
      </div>
      <div class="visually-hidden" aria-live="polite"></div>`;
    this.el = root.querySelector(".grid");
    this.head = root.querySelector(".head");
    this.viewport = root.querySelector(".viewport");
    this.spacer = root.querySelector(".spacer");
    this.rowsEl = root.querySelector(".rows");
    this.live = root.querySelector("[aria-live]");
    this.columns = [];
    this.rows = [];
    this.order = new Int32Array(0);
    this.first = -1;
    this.sortCol = -1;
    this.sortDir = 0;
    this.viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.viewport.addEventListener("click", (e) => {
      const cell = e.target.closest(".cell");
      if (cell) this.selectCell(Number(cell.dataset.r), Number(cell.dataset.c));
    });
    // Keyboard: arrows move the selected cell (scrolling to it), Page
    // Up/Down move a screen, Home/End go to the first and last row, Enter
    // shows the cell's details.
    this.viewport.addEventListener("keydown", (e) => this.key(e));
    this.head.addEventListener("click", (e) => {
      const b = e.target.closest("button");
      if (b) this.sortBy(Number(b.dataset.c));
    });
    new ResizeObserver(() => { this.first = -1; this.draw(); }).observe(this.viewport);
  }

  /** Shows columns [{name, type}] and rows (arrays of values). */
  set(columns, rows) {
    this.columns = columns;
    this.rows = rows;
    this.sortCol = -1;
    this.sortDir = 0;
    this.filterText = "";
    this.order = Int32Array.from({ length: rows.length }, (_, i) => i);
    const widths = columns.map((c, ci) => {
      let w = c.name.length + c.type.length + 4;
      for (let r = 0; r < Math.min(rows.length, 200); r++) w = Math.max(w, Math.min(cellText(rows[r][ci]).length, 60));
      return Math.max(60, Math.min(420, w * 7 + 14));
    });
    this.widths = widths;
    this.template = widths.map((w) => w + "px").join(" ");
    this.totalWidth = widths.reduce((a, b) => a + b, 0);
    this.el.style.setProperty("--cols", this.template);
    this.head.style.width = this.totalWidth + "px";
    this.el.setAttribute("aria-colcount", String(columns.length));
    this.renderHead();
    this.resize();
  }

  renderHead() {
    this.head.innerHTML = this.columns.map((c, i) => {
      const sort = i === this.sortCol ? (this.sortDir > 0 ? "ascending" : "descending") : "none";
      const arrow = i === this.sortCol ? (this.sortDir > 0 ? " ▲" : " ▼") : "";
      return `<div role="columnheader" aria-sort="${sort}"><button data-c="${i}" title="Sort by ${esc(c.name)}">${esc(c.name)}<span class="type">${esc(c.type)}</span>${arrow}</button></div>`;
    }).join("");
  }

  resize() {
    this.el.setAttribute("aria-rowcount", String(this.order.length + 1));
    this.spacer.style.height = this.order.length * ROW + "px";
    this.spacer.style.width = this.totalWidth + "px";
    this.rowsEl.style.width = this.totalWidth + "px";
    this.first = -1;
    this.draw();
  }

  schedule() {
    this.head.scrollLeft = this.viewport.scrollLeft;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const h = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW) - 5);
    const count = Math.max(0, Math.min(this.order.length - first, Math.ceil(h / ROW) + 10));
    if (first === this.first && count === this.count) return;
    this.first = first;
    this.count = count;
    // Row elements are kept and refilled: setting text is far cheaper
    // than parsing markup on every frame of a scroll.
    const ncol = this.columns.length;
    if (this.poolCols !== ncol) {
      this.rowsEl.textContent = "";
      this.pool = [];
      this.poolCols = ncol;
    }
    const numeric = this.columns.map((c) => NUMERIC.has(c.type));
    while (this.pool.length < count) {
      const row = document.createElement("div");
      row.className = "row";
      row.setAttribute("role", "row");
      for (let c = 0; c < ncol; c++) {
        const cell = document.createElement("div");
        cell.setAttribute("role", "gridcell");
        cell.dataset.c = String(c);
        row.appendChild(cell);
      }
      this.rowsEl.appendChild(row);
      this.pool.push(row);
    }
    for (let k = 0; k < this.pool.length; k++) {
      const el = this.pool[k];
      if (k >= count) { el.hidden = true; continue; }
      el.hidden = false;
      const r = this.order[first + k];
      const row = this.rows[r];
      el.setAttribute("aria-rowindex", String(first + k + 2));
      const cells = el.children;
      for (let c = 0; c < ncol; c++) {
        const cell = cells[c];
        const v = row[c];
        const isNull = v === null || v === undefined;
        const sel = this.sel && this.sel[0] === r && this.sel[1] === c;
        // Unchanged classes are not set again: each change costs a style
        // recalculation.
        const cls = "cell" + (numeric[c] ? " num" : "") + (sel ? " sel" : "") + (isNull ? " null" : "");
        if (cell.className !== cls) cell.className = cls;
        cell.dataset.r = String(r);
        cell.textContent = isNull ? "null" : cellText(v);
      }
    }
    this.rowsEl.style.transform = `translateY(${first * ROW}px)`;
  }

  sortBy(c) {
    this.sortDir = this.sortCol === c ? -this.sortDir : 1;
    this.sortCol = c;
    const rows = this.rows, dir = this.sortDir;
    const num = NUMERIC.has(this.columns[c].type);
    const key = (v) => (v === null || v === undefined ? null : num ? Number(v) : String(v));
    const keys = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) keys[i] = key(rows[i][c]);
    const order = Array.from(this.order);
    order.sort((a, b) => {
      const x = keys[a], y = keys[b];
      if (x === y) return a - b;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    this.order = Int32Array.from(order);
    this.renderHead();
    this.first = -1;
    this.draw();
  }

  /**
   * Keeps the rows whose cell in column col (any column when col < 0)
   * contains text, ignoring case.
   */
  filter(text, col = -1) {
    this.filterText = text;
    const t = text.toLowerCase();
    const keep = [];
    const has = (v) => cellText(v).toLowerCase().includes(t);
    for (let i = 0; i < this.rows.length; i++) {
      if (!t || (col >= 0 ? has(this.rows[i][col]) : this.rows[i].some(has))) keep.push(i);
    }
    this.order = Int32Array.from(keep);
    if (this.sortCol >= 0) { const c = this.sortCol; this.sortDir = -this.sortDir; this.sortBy(c); }
    this.viewport.scrollTop = 0;
    this.resize();
  }

  selectCell(r, c, notify = true) {
    this.sel = [r, c];
    this.first = -1;
    this.draw();
    const pos = this.order.indexOf(r);
    const label = `Row ${pos + 1} of ${this.order.length}, ${this.columns[c].name}: ${cellText(this.rows[r][c]) || "null"}`;
    this.live.textContent = label;
    if (notify) this.opts.onSelect?.(this.columns[c], this.rows[r][c], r);
  }

  key(e) {
    if (!this.order.length) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW) - 1);
    let pos = this.sel ? this.order.indexOf(this.sel[0]) : -1;
    let c = this.sel ? this.sel[1] : 0;
    const moves = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], PageDown: [page, 0], PageUp: [-page, 0] };
    if (e.key === "Enter" && this.sel) {
      e.preventDefault();
      this.selectCell(this.sel[0], this.sel[1]);
      return;
    }
    if (e.key === "Home" || e.key === "End") pos = e.key === "Home" ? 0 : this.order.length - 1;
    else if (moves[e.key]) {
      if (pos < 0) pos = 0;
      else {
        pos += moves[e.key][0];
        c += moves[e.key][1];
      }
    } else return;
    e.preventDefault();
    pos = Math.max(0, Math.min(this.order.length - 1, pos));
    c = Math.max(0, Math.min(this.columns.length - 1, c));
    const top = pos * ROW, vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + ROW > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + ROW - vp.clientHeight;
    const left = this.widths.slice(0, c).reduce((a, b) => a + b, 0);
    if (left < vp.scrollLeft) vp.scrollLeft = left;
    else if (left + this.widths[c] > vp.scrollLeft + vp.clientWidth) vp.scrollLeft = left + this.widths[c] - vp.clientWidth;
    this.selectCell(this.order[pos], c, false);
  }

  /** The rows in their shown order, as CSV. */
  csv() {
    const q = (v) => {
      const s = cellText(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [this.columns.map((c) => q(c.name)).join(",")];
    for (const r of this.order) lines.push(this.rows[r].map(q).join(","));
    return lines.join("\r\n") + "\r\n";
  }
}

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
