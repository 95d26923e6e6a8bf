// The Sources page's formatting and markup: the Graph sources' feeds and
// the Event Hubs sources' partitions as the status routes report them
// (server.GraphStatus, eventhub.Status). Pure functions, without the DOM.

export function esc(s) {
  return String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

const NS = 1e6 * 1000;

/**
 * A duration in nanoseconds (Go's time.Duration in JSON) in words: its two
 * largest units, "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h"; under a
 * second "< 1 s"; "–" when unknown.
 */
export function formatLag(ns) {
  if (typeof ns !== "number" || !Number.isFinite(ns) || ns < 0) return "–";
  const s = Math.floor(ns / NS);
  if (s < 1) return "< 1 s";
  const units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  const parts = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push([n, name]);
    if (parts.length === 2) break;
  }
  // "2 h 0 min" reads as "2 h".
  return parts.filter(([n], i) => i === 0 || n > 0).map(([n, name]) => `${n} ${name}`).join(" ");
}

/** Whether a JSON time is missing or Go's zero time. */
export function isZeroTime(t) {
  return !t || t.startsWith("0001-01-01") || Number.isNaN(Date.parse(t));
}

/** A JSON time as "2026-11-27 13:54:11 UTC"; "–" when missing or zero. */
export function formatTime(t) {
  if (isZeroTime(t)) return "–";
  return new Date(t).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** How long before now (a Date or milliseconds) time t was: "12 s ago"; "" when missing or zero. */
export function formatAgo(t, now = Date.now()) {
  if (isZeroTime(t)) return "";
  const ms = Number(now) - Date.parse(t);
  if (ms < 0) return "just now";
  const words = formatLag(ms * 1e6);
  return words === "< 1 s" ? "just now" : `${words} ago`;
}

/** A count with thousands separators; "–" when unknown. */
export function formatCount(n) {
  return typeof n === "number" && Number.isFinite(n) ? n.toLocaleString("en-US") : "–";
}

/** A time cell: the time, with how long ago in a second line. */
function timeCell(t, now) {
  if (isZeroTime(t)) return "–";
  return `<time datetime="${esc(t)}">${esc(formatTime(t))}</time><br><span class="muted">${esc(formatAgo(t, now))}</span>`;
}

/** An error cell: the error and when it happened, or "–". */
function errorCell(message, time, now) {
  if (!message) return "–";
  const when = isZeroTime(time) ? "" : `<br><span class="muted">at <time datetime="${esc(time)}">${esc(formatTime(time))}</time> (${esc(formatAgo(time, now))})</span>`;
  return `<span class="status-bad">${esc(message)}</span>${when}`;
}

/** The page's words for a refused request: Azure's message, led by the status. */
export function failureMarkup(e) {
  const lead = e.status === 403 ? "<strong>403 Forbidden.</strong> " : e.status === 401 ? "<strong>401 Unauthorized.</strong> " : "";
  return `<div class="alert" role="alert">${lead}${esc(e.message)}</div>`;
}

/** The empty state: how to add a source. */
export function emptyMarkup() {
  return `<div class="empty">
    <p>No sources yet. idlogs imports another tenant's sign-ins and audits when <code>idlogs serve</code> starts with one:</p>
    <ul>
      <li>through Microsoft Graph, with an application of that tenant that has the permissions AuditLog.Read.All, IdentityRiskyUser.Read.All and IdentityRiskEvent.Read.All, its secret in <code>$IDLOGS_CLIENT_SECRET</code>:
        <pre><code>idlogs serve --graph-tenant TENANT-ID --graph-client-id CLIENT-ID</code></pre></li>
      <li>from an event hub the tenant's diagnostic settings stream to:
        <pre><code>idlogs serve --eventhub-connection-string 'Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=HUB'</code></pre></li>
    </ul>
  </div>`;
}

/** A Graph source: its tenant id and a table of its feeds. */
export function graphMarkup(src, i, now = Date.now()) {
  const id = `graph-${i}`;
  const feeds = src.feeds || [];
  return `<section class="source" aria-labelledby="${id}" data-tenant="${esc(src.tenantId)}">
    <h3 id="${id}">Tenant <span class="mono">${esc(src.tenantId)}</span></h3>
    ${feeds.length ? `<table class="list feeds">
      <caption class="visually-hidden">Feeds of tenant ${esc(src.tenantId)}</caption>
      <thead><tr><th scope="col">Feed</th><th scope="col">Position</th><th scope="col">Lag</th><th scope="col" class="num">Records emitted</th><th scope="col">Last poll</th><th scope="col">Last error</th><th scope="col" class="num">Retries</th></tr></thead>
      <tbody>${feeds.map((f) => `<tr data-feed="${esc(f.feed)}">
        <th scope="row">${esc(f.feed)}</th>
        <td>${timeCell(f.position, now)}</td>
        <td>${esc(formatLag(f.lag))}</td>
        <td class="num emitted">${esc(formatCount(f.emitted))}</td>
        <td>${timeCell(f.lastPoll, now)}</td>
        <td>${errorCell(f.lastError, f.lastErrorTime, now)}</td>
        <td class="num">${esc(formatCount(f.retries))}</td></tr>`).join("")}</tbody></table>`
    : `<p class="muted">This source polls no feeds.</p>`}
  </section>`;
}

/** An Event Hubs source: its totals and a table of its partitions. */
export function eventHubMarkup(st, i, now = Date.now()) {
  const id = `eventhub-${i}`;
  const parts = st.partitions || [];
  const hubs = (st.hubs || []).join(", ") || "(no hub)";
  const facts = [
    ["State", st.running ? `<span class="status-ok">Running</span>` : `<span class="status-bad">Stopped</span>`],
    ["Consumer group", esc(st.consumerGroup || "$Default")],
    ["Brokers", esc(st.brokers || "–")],
    ["Events read", esc(formatCount(st.events))],
    ["Records imported", esc(formatCount(st.records))],
    ["Malformed", st.malformed ? `<span class="status-bad">${esc(formatCount(st.malformed))}</span>` : "0"],
    ["Stalled partitions", st.stalled ? `<span class="status-bad">${esc(formatCount(st.stalled))}</span>` : "0"],
  ];
  if (st.unassigned) facts.push(["Partitions", `<span class="status-bad">None assigned to this consumer</span>`]);
  if (st.lastError) facts.push(["Last error", errorCell(st.lastError, st.lastErrorTime, now)]);
  const m = st.lastMalformed;
  if (m) facts.push(["Last malformed", `${esc(m.hub)} partition ${esc(m.partition)} offset ${esc(m.offset)}${m.index >= 0 ? `, record ${esc(m.index)}` : ""}: ${errorCell(m.error, m.time, now)}`]);
  return `<section class="source" aria-labelledby="${id}">
    <h3 id="${id}">Event hub <span class="mono">${esc(hubs)}</span></h3>
    <dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>
    ${parts.length ? `<table class="list partitions">
      <caption class="visually-hidden">Partitions of ${esc(hubs)}</caption>
      <thead><tr><th scope="col">Hub</th><th scope="col" class="num">Partition</th><th scope="col" class="num">Position</th><th scope="col" class="num">High watermark</th><th scope="col" class="num">Lag (events)</th><th scope="col">State</th><th scope="col">Last event</th><th scope="col">Last error</th></tr></thead>
      <tbody>${parts.map((p) => `<tr>
        <td>${esc(p.hub)}</td>
        <th scope="row" class="num">${esc(p.partition)}</th>
        <td class="num">${p.position >= 0 ? esc(formatCount(p.position)) : "–"}</td>
        <td class="num">${p.highWatermark >= 0 ? esc(formatCount(p.highWatermark)) : "–"}</td>
        <td class="num">${p.lag >= 0 ? esc(formatCount(p.lag)) : "–"}</td>
        <td>${p.stalled ? `<span class="status-bad">Stalled</span>${isZeroTime(p.stalledSince) ? "" : `<br><span class="muted">since ${esc(formatTime(p.stalledSince))}</span>`}` : `<span class="status-ok">Importing</span>`}</td>
        <td>${timeCell(p.lastEventTime, now)}</td>
        <td>${errorCell(p.lastError, p.lastErrorTime, now)}</td></tr>`).join("")}</tbody></table>`
    : `<p class="muted">No partition is assigned yet.</p>`}
  </section>`;
}

/**
 * The page's body from the two routes' answers: graph and eventHubs are
 * their lists, or the errors that refused them.
 */
export function sourcesMarkup(graph, eventHubs, now = Date.now()) {
  const failed = (x) => x instanceof Error;
  const none = (x) => Array.isArray(x) && x.length === 0;
  if (none(graph) && none(eventHubs)) return emptyMarkup();
  // Both refused for the same reason (no role): one message.
  if (failed(graph) && failed(eventHubs) && graph.status === eventHubs.status && graph.message === eventHubs.message) return failureMarkup(graph);
  const section = (title, id, list, one, nothing) => `<section class="sources-kind" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${failed(list) ? failureMarkup(list) : list.length ? list.map((s, i) => one(s, i, now)).join("") : `<p class="muted">${nothing}</p>`}
  </section>`;
  return section("Microsoft Graph", "sources-graph", graph, graphMarkup, "No tenant is read through Microsoft Graph.")
    + section("Event Hubs", "sources-eventhubs", eventHubs, eventHubMarkup, "No event hub is imported.");
}
