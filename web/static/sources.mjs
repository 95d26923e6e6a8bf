// The Sources page: the external tenants idlogs imports, read through
// Microsoft Graph or from Event Hubs, with each feed's and partition's
// state from ARM (Idlogs.Sources), refreshed every 10 seconds while the
// page is shown.
import * as api from "./api.mjs";
import { sourcesMarkup, formatTime } from "./sourceview.mjs";

const V = "api-version=2017-04-01";
const EVERY = 10000;

/** One route's list, or the error that refused it. */
function list(path) {
  return api.arm("GET", `${path}?${V}`).then((r) => r.value || [], (e) => e);
}

export async function render(main) {
  main.innerHTML = `
    <h1>Sources</h1>
    <p class="muted">Other tenants whose sign-ins and audits idlogs imports: read through Microsoft Graph's reports, or from an event hub their diagnostic settings stream to.</p>
    <div class="actions-bar">
      <button type="button" class="secondary refresh">Refresh</button>
      <span class="muted updated"></span>
      <span class="visually-hidden refresh-status" role="status" aria-live="polite"></span>
    </div>
    <div class="sources-host" aria-busy="true"><p class="loading">Loading…</p></div>`;
  const host = main.querySelector(".sources-host");
  const button = main.querySelector(".refresh");
  const updated = main.querySelector(".updated");
  const status = main.querySelector(".refresh-status");
  let busy = false;

  // announce: the refresh was asked for, so its outcome is read out;
  // the automatic refresh changes the page quietly.
  async function refresh(announce) {
    if (busy) return;
    busy = true;
    host.setAttribute("aria-busy", "true");
    if (announce) status.textContent = "Refreshing…";
    const [graph, eventHubs] = await Promise.all([list("/providers/Idlogs.Sources/graph"), list("/providers/Idlogs.Sources/eventHubs")]);
    busy = false;
    if (!host.isConnected) return;
    host.innerHTML = sourcesMarkup(graph, eventHubs);
    host.removeAttribute("aria-busy");
    const refused = [graph, eventHubs].find((x) => x instanceof Error);
    const when = formatTime(new Date().toISOString());
    updated.textContent = `Updated ${when}`;
    if (announce) status.textContent = refused ? `Refresh failed: ${refused.message}` : `Sources updated ${when}.`;
  }

  button.addEventListener("click", () => refresh(true));
  const timer = setInterval(() => {
    // The page was left: stop; a hidden tab waits.
    if (!host.isConnected) clearInterval(timer);
    else if (document.visibilityState === "visible") refresh(false);
  }, EVERY);
  await refresh(false);
}
