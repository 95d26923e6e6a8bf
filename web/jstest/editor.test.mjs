// Unit tests of the page's pure modules, run by `go test ./web` with
// node's test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { highlight, blockAt, format, setInQuery } from "../static/editor.mjs";
import { chartColumns } from "../static/chart.mjs";
import { cellText } from "../static/grid.mjs";

test("highlight classes", () => {
  const text = 'SigninLogs | where Name has "x" // note\n| summarize count() by bin(TimeGenerated, 1h)';
  const got = highlight(text, new Set(["SigninLogs"])).map(([s, e, c]) => `${c}:${text.slice(s, e)}`);
  for (const want of ["tk-tbl:SigninLogs", "tk-pipe:|", "tk-kw:where", "tk-kw:has", 'tk-str:"x"', "tk-cm:// note", "tk-fn:count", "tk-kw:by", "tk-fn:bin", "tk-num:1h"]) {
    assert.ok(got.includes(want), `${want} not in ${got.join(" ")}`);
  }
  assert.ok(!got.some((g) => g.endsWith(":Name")), "a column is not a keyword");
});

test("project-away is one keyword", () => {
  const text = "T | project-away x";
  assert.deepEqual(highlight(text, new Set()).map(([s, e]) => text.slice(s, e)), ["|", "project-away"]);
});

test("blockAt picks the query under the cursor", () => {
  const text = "A\n| take 1\n\nB\n| count\n\n\nC";
  assert.equal(blockAt(text, 0).text, "A\n| take 1");
  assert.equal(blockAt(text, text.indexOf("count")).text, "B\n| count");
  assert.equal(blockAt(text, text.length).text, "C");
  // On a blank line: the query before it.
  assert.equal(blockAt(text, text.indexOf("\n\n\nC") + 1).text, "B\n| count");
});

test("setInQuery", () => {
  assert.equal(setInQuery("SigninLogs | where TimeGenerated > ago(1h)"), true);
  assert.equal(setInQuery("SigninLogs | summarize count() by bin(TimeGenerated, 1h)"), false);
  assert.equal(setInQuery("SigninLogs\n| where ResultType == 0\n| where TimeGenerated between (ago(2d) .. ago(1d))"), true);
});

test("format puts pipes on their own lines, not those in strings", () => {
  assert.equal(format('T | where a == "x|y" | take 5'), 'T\n| where a == "x|y"\n| take 5');
  assert.equal(format("T\n| take 5"), "T\n| take 5");
});

test("chartColumns", () => {
  const cols = [{ name: "TimeGenerated", type: "datetime" }, { name: "Result", type: "string" }, { name: "n", type: "long" }];
  assert.deepEqual(chartColumns("timechart", cols), { x: 0, ys: [2], series: 1 });
  assert.deepEqual(chartColumns("piechart", cols), { x: 1, ys: [2], series: -1 });
  assert.deepEqual(chartColumns("columnchart", cols, { xColumn: "Result", yColumns: "n" }), { x: 1, ys: [2], series: -1 });
});

test("cellText", () => {
  assert.equal(cellText(null), "");
  assert.equal(cellText({ a: 1 }), '{"a":1}');
  assert.equal(cellText(5), "5");
});

test("stacked column chart", async () => {
  // A minimal element: renderChart only sets innerHTML and styles swatches.
  const el = { innerHTML: "", querySelectorAll: () => [] };
  const { renderChart } = await import("../static/chart.mjs");
  const cols = [{ name: "App", type: "string" }, { name: "ok", type: "long" }, { name: "failed", type: "long" }];
  assert.equal(renderChart(el, "columnchart", cols, [["a", 3, 1], ["b", 2, 2]], { kind: "stacked" }), true);
  assert.equal((el.innerHTML.match(/class="bar"/g) || []).length, 4);
  assert.match(el.innerHTML, /aria-label="columnchart of ok, failed by App"/);
  assert.equal(renderChart(el, "piechart", cols, [], {}), false);
});

test("dynamic paths and filters", async () => {
  const { flatten, filterFor } = await import("../static/grid.mjs");
  assert.deepEqual(flatten({ city: "Paris", geo: { lat: 48.8 }, "odd key": [true] }, "LocationDetails"),
    [["LocationDetails.city", "Paris"], ["LocationDetails.geo.lat", 48.8], ['LocationDetails["odd key"][0]', true]]);
  assert.equal(filterFor("LocationDetails.city", "Paris", "dynamic"), 'tostring(LocationDetails.city) == "Paris"');
  assert.equal(filterFor("LocationDetails.geo.lat", 48.8, "dynamic"), "todouble(LocationDetails.geo.lat) == 48.8");
  assert.equal(filterFor("ResultType", "0", "string"), 'ResultType == "0"');
  assert.equal(filterFor("TimeGenerated", "2026-01-01T00:00:00Z", "datetime"), "TimeGenerated == datetime(2026-01-01T00:00:00Z)");
  assert.equal(filterFor("X", null, "long"), "isnull(X)");
});
