// The workspace's saved searches as the Logs page saves and lists them:
// ARM's savedSearches resources, whose function alias makes a saved search
// a function that queries call by name.

/** The api-version of the savedSearches requests. */
export const SAVED_VERSION = "api-version=2020-08-01";

/** The save form's field each kind of Azure's 400 message names, first match wins. */
const FIELDS = [[/parameters/i, "params"], [/alias/i, "alias"], [/displayName/, "name"], [/category/, "category"]];

/**
 * The save form's field an error is about ("params", "alias", "name",
 * "category"), or null when it goes below the form: only a 400 names a
 * field; a 409 (alias in use) or 403 is about the whole request.
 */
export function errorField(status, message) {
  if (status !== 400) return null;
  return FIELDS.find(([re]) => re.test(message))?.[1] ?? null;
}

/** An error's text as the page shows it: the status for 403 and 409, then Azure's message. */
export function errorText(status, message) {
  return (status === 403 ? "403 Forbidden. " : status === 409 ? "409 Conflict. " : "") + message;
}

/**
 * The properties of a saved search from the form's values (trimmed): a
 * function when fn is set, with its parameters if any.
 */
export function savedSearchProperties({ name, category, query, fn, alias, params }) {
  const p = { category: category.trim(), displayName: name.trim(), query: query.trim(), version: 2 };
  if (fn) {
    p.functionAlias = alias.trim();
    if (params.trim()) p.functionParameters = params.trim();
  }
  return p;
}

/** The saved searches of an ARM list answer, by category then display name. */
export function savedSearchList(answer) {
  return (answer?.value || []).map((s) => ({ id: s.name, ...s.properties }))
    .sort((a, b) => (a.category || "").localeCompare(b.category || "") || (a.displayName || "").localeCompare(b.displayName || ""));
}

/** The names queries call: the function aliases of saved searches. */
export function functionAliases(saved) {
  return saved.filter((s) => s.functionAlias).map((s) => s.functionAlias);
}
