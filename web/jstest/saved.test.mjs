// Unit tests of saved.mjs, the Logs page's saved searches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { errorField, errorText, savedSearchProperties, savedSearchList, functionAliases } from "../static/saved.mjs";

test("Azure's 400s go beside the field they name", () => {
  for (const [message, want] of [
    ["The function parameters do not parse: 1:9: expected a default value", "params"],
    ["The property 'properties.functionParameters' needs a 'properties.functionAlias': only a function has parameters.", "params"],
    ["The function alias 'where' is invalid: it must be a KQL identifier", "alias"],
    ["The property 'properties.displayName' is required.", "name"],
    ["The property 'properties.category' is required.", "category"],
    ["The query does not parse: 2:3: expected an operator", null],
  ]) {
    assert.equal(errorField(400, message), want, message);
  }
  // A 409 names the alias, but is about the request, not what was typed.
  assert.equal(errorField(409, "The function alias 'F' is already used by the saved search 'x'"), null);
  assert.equal(errorField(403, "does not have authorization to perform action 'workspaces/savedSearches/write'"), null);
});

test("error text leads with the status the user must act on", () => {
  assert.equal(errorText(409, "in use"), "409 Conflict. in use");
  assert.equal(errorText(403, "denied"), "403 Forbidden. denied");
  assert.equal(errorText(400, "bad"), "bad");
});

test("a query has no alias; a function has its parameters only when given", () => {
  const form = { name: " Top ", category: "Sign-ins", query: "T | take n\n", alias: " TopN ", params: "" };
  assert.deepEqual(savedSearchProperties({ ...form, fn: false }), { category: "Sign-ins", displayName: "Top", query: "T | take n", version: 2 });
  assert.deepEqual(savedSearchProperties({ ...form, fn: true }), { category: "Sign-ins", displayName: "Top", query: "T | take n", version: 2, functionAlias: "TopN" });
  assert.equal(savedSearchProperties({ ...form, fn: true, params: " n:long = 3 " }).functionParameters, "n:long = 3");
});

test("the list is by category then name, with ids and aliases", () => {
  const list = savedSearchList({ value: [
    { name: "b", properties: { category: "Sign-ins", displayName: "Zed", query: "T", functionAlias: "Z" } },
    { name: "a", properties: { category: "Audit", displayName: "Changes", query: "AuditLogs" } },
    { name: "c", properties: { category: "Sign-ins", displayName: "Alpha", query: "T" } },
  ] });
  assert.deepEqual(list.map((s) => s.id), ["a", "c", "b"]);
  assert.deepEqual(functionAliases(list), ["Z"]);
  assert.deepEqual(savedSearchList({}), []);
});
