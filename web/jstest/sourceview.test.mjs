// Unit tests of sourceview.mjs, the Sources page's formatting and markup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatLag, formatTime, formatAgo, formatCount, isZeroTime, sourcesMarkup } from "../static/sourceview.mjs";

const S = 1e9;

test("lag reads in its two largest units", () => {
  for (const [ns, want] of [
    [0, "< 1 s"], [0.5 * S, "< 1 s"], [S, "1 s"], [45 * S, "45 s"], [200 * S, "3 min 20 s"], [120 * S, "2 min"],
    [7500 * S, "2 h 5 min"], [7200 * S, "2 h"], [7201 * S, "2 h"], [(3 * 86400 + 4 * 3600 + 59) * S, "3 d 4 h"],
    [-1, "–"], [undefined, "–"], [null, "–"], [NaN, "–"],
  ]) {
    assert.equal(formatLag(ns), want, String(ns));
  }
});

test("times are UTC to the second; Go's zero time is none", () => {
  assert.equal(formatTime("2026-11-27T13:54:11.123456789Z"), "2026-11-27 13:54:11 UTC");
  assert.equal(formatTime("2026-11-27T14:54:11+01:00"), "2026-11-27 13:54:11 UTC");
  for (const t of ["0001-01-01T00:00:00Z", "", undefined, null, "soon"]) {
    assert.ok(isZeroTime(t), String(t));
    assert.equal(formatTime(t), "–");
    assert.equal(formatAgo(t), "");
  }
});

test("how long ago", () => {
  const now = Date.parse("2026-11-27T13:55:00Z");
  assert.equal(formatAgo("2026-11-27T13:54:48Z", now), "12 s ago");
  assert.equal(formatAgo("2026-11-27T12:50:00Z", now), "1 h 5 min ago");
  assert.equal(formatAgo("2026-11-27T13:54:59.6Z", now), "just now");
  // A clock a little ahead of the browser's.
  assert.equal(formatAgo("2026-11-27T13:55:02Z", now), "just now");
});

test("counts", () => {
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount(0), "0");
  assert.equal(formatCount(undefined), "–");
});

test("no source: how to add one", () => {
  const html = sourcesMarkup([], []);
  assert.match(html, /No sources yet/);
  assert.match(html, /--graph-tenant TENANT-ID --graph-client-id CLIENT-ID/);
  assert.match(html, /\$IDLOGS_CLIENT_SECRET/);
  assert.match(html, /--eventhub-connection-string/);
});

test("a Graph source's feeds, escaped", () => {
  const now = Date.parse("2026-11-27T14:00:00Z");
  const html = sourcesMarkup([{ tenantId: "t-1", feeds: [
    { feed: "directoryAudits", position: "2026-11-27T13:45:00Z", lag: 900 * S, emitted: 1500, lastPoll: "2026-11-27T13:59:58Z", retries: 0 },
    { feed: "signIns", position: "0001-01-01T00:00:00Z", lag: 0, emitted: 0, lastError: "<403> Forbidden", lastErrorTime: "2026-11-27T13:59:00Z", retries: 3 },
  ] }], [], now);
  assert.match(html, /Tenant <span class="mono">t-1<\/span>/);
  assert.match(html, /<tr data-feed="directoryAudits">[\s\S]*15 min[\s\S]*1,500[\s\S]*2 s ago/);
  assert.match(html, /&lt;403&gt; Forbidden<\/span><br><span class="muted">at <time datetime="2026-11-27T13:59:00Z">2026-11-27 13:59:00 UTC<\/time> \(1 min ago\)/);
  assert.match(html, /No event hub is imported/);
  assert.doesNotMatch(html, /No sources yet/);
});

test("an Event Hubs source's partitions", () => {
  const html = sourcesMarkup([], [{ hubs: ["insights-logs-signinlogs"], consumerGroup: "", brokers: "ns.servicebus.windows.net:9093", running: true,
    events: 10, records: 40, malformed: 0, stalled: 1, partitions: [
      { hub: "insights-logs-signinlogs", partition: 0, position: -1, highWatermark: -1, lag: -1, stalled: false },
      { hub: "insights-logs-signinlogs", partition: 1, position: 5, highWatermark: 1005, lag: 1000, stalled: true, stalledSince: "2026-11-27T13:00:00Z" },
    ] }]);
  assert.match(html, /\$Default/);
  assert.match(html, /Stalled<\/span><br><span class="muted">since 2026-11-27 13:00:00 UTC/);
  assert.match(html, /1,000/);
  assert.match(html, /No tenant is read through Microsoft Graph/);
});

test("refusals in Azure's words, once when both routes say the same", () => {
  const e = () => Object.assign(new Error("The client 'x' does not have authorization to perform action 'microsoft.aadiam/diagnosticSettings/read'"), { status: 403 });
  const html = sourcesMarkup(e(), e());
  assert.equal(html.match(/role="alert"/g).length, 1);
  assert.match(html, /^<div class="alert" role="alert"><strong>403 Forbidden\.<\/strong> The client 'x' does not have authorization/);
  const half = sourcesMarkup([], Object.assign(new Error("expired"), { status: 401 }));
  assert.match(half, /No tenant is read through Microsoft Graph[\s\S]*401 Unauthorized\.<\/strong> expired/);
});
