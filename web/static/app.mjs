// The web UI's shell: sign-in, the top bar, the left navigation and the
// pages behind it (#/query, #/workbook, #/diagnostics, #/sources).
import { loadConfig, completeSignIn, signIn, signOut, user } from "./auth.mjs";
import * as api from "./api.mjs";

const pages = {
  query: () => import("./query.mjs"),
  workbook: () => import("./workbook.mjs"),
  diagnostics: () => import("./diag.mjs"),
  sources: () => import("./sources.mjs"),
};
const titles = { query: "Logs", workbook: "Sign-ins workbook", diagnostics: "Diagnostic settings", sources: "Sources" };

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

const main = document.getElementById("main");

function landing(cfg, error) {
  document.getElementById("nav").hidden = true;
  document.title = "Sign in · idlogs";
  main.innerHTML = `
    <div class="landing">
      <h1>idlogs</h1>
      <p>Query your directory's sign-in and audit logs and manage where Entra sends them.</p>
      ${error ? `<p class="alert" role="alert">${esc(error)}</p>` : ""}
      <p><button class="primary signin">Sign in</button></p>
      <p class="muted">You sign in with an account of tenant ${esc(cfg.tenantId)}. What you can see follows your roles.</p>
    </div>`;
  main.querySelector(".signin").addEventListener("click", () => signIn(location.hash && location.hash !== "#/" ? location.hash : "#/query"));
  performance.mark("idlogs-interactive");
}

async function start() {
  let cfg;
  try {
    cfg = await loadConfig();
  } catch (e) {
    main.innerHTML = `<p class="alert" role="alert">${esc(e.message)}</p>`;
    return;
  }
  try {
    const back = await completeSignIn();
    if (back) location.hash = back;
  } catch (e) {
    landing(cfg, "Sign-in failed: " + e.message);
    return;
  }
  const me = user();
  if (!me) {
    landing(cfg);
    return;
  }
  const ctx = { cfg, workspaceId: cfg.workspaceId, workspaceResourceId: cfg.workspaceResourceId, workspaceName: cfg.workspaceResourceId.split("/").pop() };
  document.getElementById("workspace-label").textContent = "Workspace: " + ctx.workspaceName;
  const userEl = document.getElementById("user");
  userEl.innerHTML = `<span>${esc(me.name || me.preferred_username || me.upn || "Signed in")}</span><button class="signout">Sign out</button>`;
  userEl.querySelector(".signout").addEventListener("click", () => { signOut(); location.hash = ""; location.reload(); });
  document.getElementById("nav").hidden = false;
  // The workspaces the user may see through ARM; Log Analytics readers
  // without ARM read keep the default one.
  api.arm("GET", `/subscriptions/${cfg.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=2022-10-01`)
    .then((r) => {
      const list = (r.value || []).filter((w) => w.properties?.customerId);
      if (list.length < 2) return;
      const label = document.getElementById("workspace-label");
      label.innerHTML = `<label>Workspace <select aria-label="Workspace">${list.map((w) =>
        `<option value="${esc(w.properties.customerId)}"${w.properties.customerId === ctx.workspaceId ? " selected" : ""}>${esc(w.name)}</option>`).join("")}</select></label>`;
      label.querySelector("select").addEventListener("change", (e) => {
        ctx.workspaceId = e.target.value;
        ctx.workspaceResourceId = list.find((w) => w.properties.customerId === ctx.workspaceId).id;
        route();
      });
    })
    .catch(() => {});

  let seq = 0;
  async function route() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [name, qs] = hash.split("?");
    const page = pages[name] ? name : "query";
    for (const a of document.querySelectorAll("#nav a")) {
      if (a.dataset.page === page) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.title = `${titles[page]} · idlogs`;
    const my = ++seq;
    const mod = await pages[page]();
    if (my !== seq) return;
    main.innerHTML = "";
    const rendering = mod.render(main, ctx, new URLSearchParams(qs || ""));
    // Keyboard and screen reader users start at the new page (the Logs
    // page focuses its editor itself).
    if (page !== "query" && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
    await rendering;
    if (my === seq) performance.mark("idlogs-interactive");
  }
  window.addEventListener("hashchange", route);
  // A page whose session ended offers the sign-in again.
  window.addEventListener("idlogs-signin", (e) => {
    window.removeEventListener("hashchange", route);
    landing(cfg, e.detail);
  });
  await route();
}

start();
