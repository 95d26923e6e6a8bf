// The KQL editor: a textarea over a highlighted copy of its text, with the
// language service's diagnostics underlined and its completions in a
// list box. Offsets are JavaScript string indexes (UTF-16), as the
// language service's are.

const KEYWORDS = new Set(("let set declare query_parameters print datatable range union search find where filter project " +
  "project-away project-keep project-rename project-reorder extend summarize by order sort asc desc nulls first last top take limit " +
  "count distinct join kind on lookup mv-expand mv-apply make-series parse parse-where parse-kv evaluate render as invoke " +
  "sample sample-distinct top-nested top-hitters getschema serialize partition facet fork externaldata materialize with " +
  "and or not in !in between !between has !has has_cs contains !contains contains_cs startswith endswith matches regex " +
  "has_any has_all like in~ !in~ step from to bin_at true false null inner leftouter rightouter fullouter leftanti rightanti leftsemi rightsemi innerunique " +
  "timechart linechart areachart columnchart barchart piechart scatterchart table").split(" "));
const TYPES = new Set("bool boolean int long real double decimal string datetime date timespan time guid uuid dynamic".split(" "));

const TOKEN = new RegExp([
  String.raw`(?<cm>//[^\n]*)`,
  String.raw`(?<str>[@hH]?'(?:[^'\\\n]|\\.)*'?|[@hH]?"(?:[^"\\\n]|\\.)*"?|` + "```[\\s\\S]*?(?:```|$))",
  String.raw`(?<num>\b\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:days?|d|hours?|hrs?|h|minutes?|min|m|seconds?|sec|s|ms|milliseconds?|microseconds?|ticks?)?\b)`,
  String.raw`(?<id>[A-Za-z_$][\w]*(?:-(?:away|keep|rename|reorder|expand|apply|series|where|kv|nested|hitters|distinct)\b)?)`,
  String.raw`(?<pipe>\|)`,
].join("|"), "g");

/** Splits text into [start, end, class] runs for highlighting. */
export function highlight(text, tables) {
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    const g = m.groups;
    let cls = "";
    if (g.cm) cls = "tk-cm";
    else if (g.str) cls = "tk-str";
    else if (g.num) cls = "tk-num";
    else if (g.pipe) cls = "tk-pipe";
    else if (g.id) {
      const after = text.slice(m.index + m[0].length).match(/^\s*\(/);
      if (tables.has(g.id)) cls = "tk-tbl";
      else if (TYPES.has(g.id) && after) cls = "tk-type";
      else if (after) cls = "tk-fn";
      else if (KEYWORDS.has(g.id)) cls = "tk-kw";
    }
    if (cls) out.push([m.index, m.index + m[0].length, cls]);
  }
  return out;
}

function escapeHTML(s) {
  return s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
}

/** The query block (lines without a blank line among them) around offset. */
export function blockAt(text, offset) {
  const lines = text.split("\n");
  let pos = 0, start = -1;
  const blocks = [];
  for (const line of lines) {
    const blank = line.trim() === "";
    if (!blank && start < 0) start = pos;
    if (blank && start >= 0) { blocks.push([start, pos - 1]); start = -1; }
    pos += line.length + 1;
  }
  if (start >= 0) blocks.push([start, text.length]);
  for (const [s, e] of blocks) if (offset >= s && offset <= e) return { start: s, end: e, text: text.slice(s, e) };
  // On a blank line: the block before it.
  for (const [s, e] of blocks.reverse()) if (s <= offset) return { start: s, end: e, text: text.slice(s, e) };
  return blocks.length ? { start: blocks[0][0], end: blocks[0][1], text: text.slice(blocks[0][0], blocks[0][1]) } : { start: 0, end: 0, text: "" };
}

/** Whether a query filters TimeGenerated itself, so the time range picker does not apply. */
export function setInQuery(text) {
  return /\b(where|filter)\b[^|]*\bTimeGenerated\b/.test(text);
}

/** Puts each pipe of text on its own line, outside strings and comments. */
export function format(text) {
  const skip = new Int8Array(text.length);
  for (const [s, e, c] of highlight(text, new Set())) if (c === "tk-str" || c === "tk-cm") skip.fill(1, s, e);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "|" && !skip[i]) {
      out = out.replace(/[ \t]*\n?[ \t]*$/, "") + "\n| ";
      while (text[i + 1] === " " || text[i + 1] === "\t") i++;
      continue;
    }
    out += text[i];
  }
  return out.replace(/^\n\| /, "| ");
}

let ids = 0;

export class Editor {
  /**
   * @param {HTMLElement} root
   * @param {{onRun: Function, onChange: Function, check: Function, complete: Function}} opts
   */
  constructor(root, opts) {
    this.opts = opts;
    this.tables = new Set();
    this.diagnostics = [];
    const id = "ed" + ++ids;
    root.innerHTML = `
      <div class="editor">
        <pre aria-hidden="true"></pre>
        <textarea wrap="off" spellcheck="false" autocapitalize="off" autocomplete="off" aria-label="Query editor. Shift+Enter runs the query under the cursor; Ctrl+Space lists completions."
          aria-autocomplete="list" aria-controls="${id}-list" aria-describedby="${id}-diag"></textarea>
        <ul class="completions" id="${id}-list" role="listbox" aria-label="Completions" hidden></ul>
      </div>
      <ul class="diagnostics" id="${id}-diag" aria-live="polite"></ul>`;
    this.pre = root.querySelector("pre");
    this.ta = root.querySelector("textarea");
    this.list = root.querySelector(".completions");
    this.diagList = root.querySelector(".diagnostics");
    this.items = [];
    this.active = -1;
    this.ta.addEventListener("input", () => this.changed(true));
    this.ta.addEventListener("scroll", () => this.syncScroll());
    this.ta.addEventListener("keydown", (e) => this.keydown(e));
    this.ta.addEventListener("blur", () => setTimeout(() => this.closeCompletions(), 150));
    this.ta.addEventListener("click", () => this.closeCompletions());
    this.list.addEventListener("mousedown", (e) => {
      const li = e.target.closest("li");
      if (li) { e.preventDefault(); this.accept(Number(li.dataset.i)); }
    });
  }

  get value() { return this.ta.value; }
  set value(v) { this.ta.value = v; this.changed(false); }

  focus() { this.ta.focus(); }

  setTables(names) { this.tables = new Set(names); this.render(); }

  changed(typed) {
    this.diagnostics = [];
    this.render();
    this.opts.onChange?.(this.value);
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.runCheck(), 250);
    if (typed) {
      const before = this.value.slice(0, this.ta.selectionStart);
      if (/[\w]$/.test(before) || /\|\s?$/.test(before)) this.scheduleComplete();
      else this.closeCompletions();
    }
  }

  async runCheck() {
    const text = this.value;
    try {
      const r = await this.opts.check(text);
      if (text !== this.value) return;
      this.diagnostics = r.diagnostics || [];
    } catch (e) {
      this.diagnostics = [];
    }
    this.render();
  }

  render() {
    const text = this.value;
    const n = text.length;
    const cls = new Array(n).fill("");
    for (const [s, e, c] of highlight(text, this.tables)) for (let i = s; i < e; i++) cls[i] = c;
    const diag = new Int32Array(n).fill(-1);
    this.diagnostics.forEach((d, k) => { for (let i = d.start; i < Math.min(d.end, n); i++) diag[i] = k; });
    let html = "";
    let i = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && cls[j] === cls[i] && diag[j] === diag[i]) j++;
      let seg = escapeHTML(text.slice(i, j));
      if (cls[i]) seg = `<span class="${cls[i]}">${seg}</span>`;
      if (diag[i] >= 0) {
        const d = this.diagnostics[diag[i]];
        seg = `<span class="diag" data-start="${i}" data-end="${j}" title="${escapeHTML(d.message).replace(/"/g, "&quot;")}">${seg}</span>`;
      }
      html += seg;
      i = j;
    }
    this.pre.innerHTML = html + "\n ";
    this.diagList.innerHTML = this.diagnostics.map((d) =>
      `<li>Line ${d.line}, column ${d.column}: ${escapeHTML(d.message)}</li>`).join("");
    this.syncScroll();
  }

  syncScroll() {
    this.pre.scrollTop = this.ta.scrollTop;
    this.pre.scrollLeft = this.ta.scrollLeft;
    if (!this.list.hidden) this.place();
  }

  keydown(e) {
    const open = !this.list.hidden && this.items.length > 0;
    if (open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const d = e.key === "ArrowDown" ? 1 : -1;
        this.select((this.active + d + this.items.length) % this.items.length);
        return;
      }
      if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey || e.key === "Tab") {
        e.preventDefault();
        this.accept(this.active);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        this.closeCompletions();
        return;
      }
    }
    if (e.key === "Enter" && (e.shiftKey || e.ctrlKey)) {
      e.preventDefault();
      this.closeCompletions();
      this.opts.onRun?.(blockAt(this.value, this.ta.selectionStart).text);
      return;
    }
    if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      this.completeNow();
    }
  }

  scheduleComplete() {
    clearTimeout(this.completeTimer);
    this.completeTimer = setTimeout(() => this.completeNow(), 120);
  }

  async completeNow() {
    const text = this.value, at = this.ta.selectionStart;
    let r;
    try {
      r = await this.opts.complete(text, at);
    } catch {
      return;
    }
    if (text !== this.value || at !== this.ta.selectionStart) return;
    this.from = r.from;
    this.to = r.to;
    this.items = r.items.slice(0, 100);
    if (!this.items.length) { this.closeCompletions(); return; }
    const id = this.list.id;
    this.list.innerHTML = this.items.map((it, i) =>
      `<li role="option" id="${id}-${i}" data-i="${i}" aria-selected="false"><span>${escapeHTML(it.label)}</span><span class="kind">${escapeHTML(it.detail ? it.kind + ": " + it.detail : it.kind)}</span></li>`).join("");
    this.list.hidden = false;
    this.select(0);
    this.place();
  }

  select(i) {
    const old = this.list.children[this.active];
    if (old) old.setAttribute("aria-selected", "false");
    this.active = i;
    const li = this.list.children[i];
    if (!li) return;
    li.setAttribute("aria-selected", "true");
    li.scrollIntoView({ block: "nearest" });
    this.ta.setAttribute("aria-activedescendant", li.id);
  }

  accept(i) {
    const it = this.items[i];
    if (!it) return;
    this.ta.focus();
    this.ta.setSelectionRange(this.from, this.to);
    if (!document.execCommand("insertText", false, it.label)) {
      this.ta.setRangeText(it.label, this.from, this.to, "end");
      this.changed(false);
    }
    this.closeCompletions();
  }

  closeCompletions() {
    this.list.hidden = true;
    this.items = [];
    this.active = -1;
    this.ta.removeAttribute("aria-activedescendant");
  }

  /** Places the list below the caret. */
  place() {
    const before = this.value.slice(0, this.ta.selectionStart);
    const line = before.split("\n").length - 1;
    const col = before.length - before.lastIndexOf("\n") - 1;
    if (!this.charWidth) {
      const probe = document.createElement("span");
      probe.textContent = "0".repeat(100);
      this.pre.appendChild(probe);
      this.charWidth = probe.getBoundingClientRect().width / 100 || 7.8;
      probe.remove();
    }
    const lh = 19;
    const top = 6 + (line + 1) * lh - this.ta.scrollTop;
    const left = 8 + col * this.charWidth - this.ta.scrollLeft;
    this.list.style.top = Math.max(0, top) + "px";
    this.list.style.left = Math.max(0, left) + "px";
  }
}
