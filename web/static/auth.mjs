// Sign-in through idlogs' token service: the authorization code grant with
// PKCE as a public client, then refresh tokens for each API's audience.
// Tokens live in sessionStorage, so they end with the browser tab.

export const LOG_ANALYTICS = "https://api.loganalytics.io";
export const ARM = "https://management.azure.com";

let config = null;
const store = sessionStorage;

function b64url(bytes) {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(n) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

function redirectURI() {
  return location.origin + "/";
}

function endpoint(name) {
  return `/${config.tenantId}/oauth2/v2.0/${name}`;
}

/** Loads the page's configuration (tenant, client, workspace). */
export async function loadConfig() {
  const r = await fetch("/ui/config.json", { cache: "no-store" });
  if (!r.ok) throw new Error(`The page configuration could not be read: HTTP ${r.status}`);
  config = await r.json();
  return config;
}

/** Sends the browser to the sign-in page. */
export async function signIn(returnTo) {
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  store.setItem("idlogs.pkce", JSON.stringify({ verifier, state, returnTo: returnTo || "#/query" }));
  const q = new URLSearchParams({
    client_id: config.clientId, response_type: "code", redirect_uri: redirectURI(), response_mode: "query",
    scope: `${LOG_ANALYTICS}/.default openid profile offline_access`, state,
    code_challenge: challenge, code_challenge_method: "S256",
  });
  location.assign(endpoint("authorize") + "?" + q);
}

async function tokenRequest(form) {
  const r = await fetch(endpoint("token"), {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error_description || body.error || `token endpoint: HTTP ${r.status}`);
  return body;
}

function keep(resource, body) {
  const tokens = JSON.parse(store.getItem("idlogs.tokens") || "{}");
  tokens[resource] = { token: body.access_token, exp: Date.now() + (body.expires_in || 3600) * 1000 };
  if (body.refresh_token) tokens.refresh = body.refresh_token;
  if (body.id_token) tokens.id = body.id_token;
  store.setItem("idlogs.tokens", JSON.stringify(tokens));
  return tokens;
}

/**
 * Completes a sign-in when the page is the redirect URI of one: redeems the
 * code and returns the hash to go to, or null when there is nothing to do.
 * Throws the sign-in's error.
 */
export async function completeSignIn() {
  const q = new URLSearchParams(location.search);
  if (!q.has("code") && !q.has("error")) return null;
  const pending = JSON.parse(store.getItem("idlogs.pkce") || "null");
  store.removeItem("idlogs.pkce");
  history.replaceState(null, "", "/" + (pending?.returnTo || "#/query"));
  if (q.has("error")) throw new Error(q.get("error_description") || q.get("error"));
  if (!pending || pending.state !== q.get("state")) throw new Error("The sign-in response does not match a sign-in this page started; sign in again.");
  const body = await tokenRequest({
    grant_type: "authorization_code", client_id: config.clientId, code: q.get("code"),
    redirect_uri: redirectURI(), code_verifier: pending.verifier, scope: `${LOG_ANALYTICS}/.default openid profile offline_access`,
  });
  keep(LOG_ANALYTICS, body);
  return pending.returnTo;
}

/** The signed-in user's claims, or null. */
export function user() {
  const tokens = JSON.parse(store.getItem("idlogs.tokens") || "{}");
  const raw = tokens.id || tokens[LOG_ANALYTICS]?.token;
  if (!raw) return null;
  try {
    const part = raw.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

export function signOut() {
  store.removeItem("idlogs.tokens");
}

/** SignInNeeded is a call that needs the user to sign in again. */
export class SignInNeeded extends Error {}

let pending = Promise.resolve();

/** Returns an access token for resource, redeeming the refresh token when needed. */
export function token(resource) {
  // Refresh tokens are used once: requests for new tokens go one at a time.
  const next = pending.then(async () => {
    const tokens = JSON.parse(store.getItem("idlogs.tokens") || "{}");
    const t = tokens[resource];
    if (t && t.exp - Date.now() > 60_000) return t.token;
    if (!tokens.refresh) throw new SignInNeeded("Your session has ended: sign in again.");
    let body;
    try {
      body = await tokenRequest({
        grant_type: "refresh_token", client_id: config.clientId, refresh_token: tokens.refresh,
        scope: `${resource}/.default offline_access`,
      });
    } catch (e) {
      // A refresh token that expired or was revoked ends the session.
      signOut();
      throw new SignInNeeded(`Your session has ended (${e.message}): sign in again.`);
    }
    return keep(resource, body)[resource].token;
  });
  pending = next.catch(() => {});
  return next;
}
