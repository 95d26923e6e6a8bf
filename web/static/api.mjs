// Calls to idlogs' APIs with the signed-in user's tokens.
import { token, LOG_ANALYTICS, ARM, SignInNeeded } from "./auth.mjs";

/** ApiError is a refused or failed request, with Azure's error code. */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The innermost message of an Azure error envelope. */
function describe(status, body) {
  let e = body && body.error;
  if (!e) return { code: `HTTP${status}`, message: `The request failed with HTTP ${status}.` };
  const code = e.code;
  let message = e.message;
  for (let inner = e.innererror || (e.details && e.details[0]); inner; inner = inner.innererror) {
    if (inner.message) message = inner.message;
  }
  if (status === 403 && !/denied|insufficient|not allowed|authoriz/i.test(message)) message = "Access denied: " + message;
  return { code, message };
}

async function call(resource, method, path, body, headers = {}) {
  let t;
  try {
    t = await token(resource);
  } catch (e) {
    // The shell shows the sign-in again.
    if (e instanceof SignInNeeded) window.dispatchEvent(new CustomEvent("idlogs-signin", { detail: e.message }));
    throw e;
  }
  const h = { Authorization: "Bearer " + t, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!r.ok) {
    const d = describe(r.status, data);
    throw new ApiError(r.status, d.code, d.message, data);
  }
  return data;
}

/** Runs a query; timespan is an ISO 8601 duration or null. */
export function query(workspaceId, text, timespan) {
  const body = { query: text };
  if (timespan) body.timespan = timespan;
  return call(LOG_ANALYTICS, "POST", `/v1/workspaces/${workspaceId}/query`, body,
    { Prefer: "include-statistics=true, include-render=true, wait=600" });
}

/** The language service: diagnostics of text. */
export function check(workspaceId, text) {
  return call(LOG_ANALYTICS, "POST", `/v1/workspaces/${workspaceId}/kql/check`, { query: text });
}

/** The language service: completions at UTF-16 offset. */
export function complete(workspaceId, text, offset) {
  return call(LOG_ANALYTICS, "POST", `/v1/workspaces/${workspaceId}/kql/complete`, { query: text, offset });
}

/** The language service: text laid out by idlogs' formatter. */
export function formatQuery(workspaceId, text) {
  return call(LOG_ANALYTICS, "POST", `/v1/workspaces/${workspaceId}/kql/format`, { query: text });
}

/** An ARM request; path includes the api-version. */
export function arm(method, path, body) {
  return call(ARM, method, path, body);
}
