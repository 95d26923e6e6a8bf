// The diagnostic settings blade, following Entra's: the list of settings,
// "+ Add diagnostic setting", and the setting's page with its categories,
// destinations, Azure's validation errors in place and the delivery status
// of each destination.
import * as api from "./api.mjs";

const PROVIDER = "/providers/microsoft.aadiam";
const V = "api-version=2017-04-01-preview";

function esc(s) {
  return String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** A datalist of resources: their ids, labelled by name. */
function datalist(id, items = [], label = (r) => r.name) {
  return `<datalist id="${id}">${items.map((r) => `<option value="${esc(r.id)}" label="${esc(label(r))}"></option>`).join("")}</datalist>`;
}

function failure(e) {
  return `<div class="alert" role="alert">${e.status === 403 ? "<strong>403 Forbidden.</strong> " : ""}${esc(e.message)}</div>`;
}

export async function render(main, ctx, params) {
  const name = params.get("edit");
  if (params.has("add") || name) return edit(main, ctx, name);
  main.innerHTML = `
    <h1>Diagnostic settings</h1>
    <p class="muted">Diagnostic settings send Entra ID's logs to a Log Analytics workspace, a storage account, an event hub or a partner solution.</p>
    <div class="actions-bar"><button class="primary add">+ Add diagnostic setting</button></div>
    <div class="list-host" aria-busy="true"><p class="loading">Loading…</p></div>`;
  main.querySelector(".add").addEventListener("click", () => { location.hash = "#/diagnostics?add"; });
  const host = main.querySelector(".list-host");
  try {
    const r = await api.arm("GET", `${PROVIDER}/diagnosticSettings?${V}`);
    const list = r.value || [];
    host.innerHTML = list.length ? `
      <table class="list"><caption class="muted">Diagnostic settings of the tenant</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Log Analytics workspace</th><th scope="col">Storage account</th><th scope="col">Event hub</th><th scope="col">Partner solution</th><th scope="col"><span class="muted">Edit</span></th></tr></thead>
        <tbody>${list.map((s) => {
          const p = s.properties || {};
          const last = (id) => (id ? esc(id.split("/").pop()) : "–");
          return `<tr><td>${esc(s.name)}</td><td>${last(p.workspaceId)}</td><td>${last(p.storageAccountId)}</td><td>${p.eventHubAuthorizationRuleId ? esc(p.eventHubName || "(default)") : "–"}</td><td>${last(p.marketplacePartnerId)}</td>
            <td><a href="#/diagnostics?edit=${encodeURIComponent(s.name)}">Edit setting<span class="visually-hidden"> ${esc(s.name)}</span></a></td></tr>`;
        }).join("")}</tbody></table>`
      : `<p>No diagnostic settings yet. Add one to send Entra ID's logs somewhere.</p>`;
  } catch (e) {
    host.innerHTML = failure(e);
  }
  host.removeAttribute("aria-busy");
}

async function edit(main, ctx, name) {
  const editing = Boolean(name);
  main.innerHTML = `<p><a href="#/diagnostics">Diagnostic settings</a> ›</p><h1>${editing ? "Edit diagnostic setting" : "Add diagnostic setting"}</h1><div class="form-host" aria-busy="true"><p class="loading">Loading…</p></div>`;
  const host = main.querySelector(".form-host");
  let data;
  try {
    data = await loadForm(ctx, name);
  } catch (e) {
    host.innerHTML = failure(e);
    host.removeAttribute("aria-busy");
    return;
  }
  host.innerHTML = formMarkup(ctx, data, editing);
  host.removeAttribute("aria-busy");
  new SettingForm(host, data.categories, name).wire();
  if (editing) await showStatus(host.querySelector(".status-host"), name);
}

/** What the setting page shows: the setting, the categories, the destinations to offer. */
async function loadForm(ctx, name) {
  const sub = `/subscriptions/${ctx.cfg.subscriptionId}`;
  // The destinations the user may read, offered as suggestions; a
  // resource id can always be typed.
  const list = (path) => api.arm("GET", path).then((r) => r.value || []).catch(() => []);
  const pickers = async () => {
    const [storage, namespaces, partners] = await Promise.all([
      list(`${sub}/providers/Microsoft.Storage/storageAccounts?api-version=2023-01-01`),
      list(`${sub}/providers/Microsoft.EventHub/namespaces?api-version=2021-11-01`),
      list(`${sub}/providers/Idlogs.Partners/webhooks?api-version=2023-01-01`),
    ]);
    const rules = (await Promise.all(namespaces.map((n) => list(`${n.id}/authorizationRules?api-version=2021-11-01`)))).flat();
    return { storage, rules, partners };
  };
  const [cats, workspaces, setting, pick] = await Promise.all([
    api.arm("GET", `${PROVIDER}/diagnosticSettingsCategories?${V}`),
    list(`${sub}/providers/Microsoft.OperationalInsights/workspaces?api-version=2022-10-01`),
    name ? api.arm("GET", `${PROVIDER}/diagnosticSettings/${encodeURIComponent(name)}?${V}`) : { properties: { logs: [] } },
    pickers(),
  ]);
  const categories = (cats.value || []).filter((c) => (c.properties?.categoryType || "Logs") === "Logs").map((c) => c.name);
  // A user who may not list the subscription's workspaces still has the
  // default one to pick.
  if (!workspaces.some((w) => w.id.toLowerCase() === ctx.cfg.workspaceResourceId.toLowerCase())) {
    workspaces.unshift({ id: ctx.cfg.workspaceResourceId, name: ctx.cfg.workspaceResourceId.split("/").pop() });
  }
  return { setting, categories, workspaces, pick };
}

/** The setting's form: name, categories, destinations, and room for the delivery status. */
function formMarkup(ctx, { setting, categories, workspaces, pick }, editing) {
  const p = setting.properties;
  const enabled = new Set((p.logs || []).filter((l) => l.enabled).map((l) => l.category));
  if (p.workspaceId && !workspaces.some((w) => w.id.toLowerCase() === p.workspaceId.toLowerCase())) {
    workspaces.push({ id: p.workspaceId, name: p.workspaceId.split("/").pop() });
  }
  return `
    <form class="form" novalidate>
      <div class="alert top-error" role="alert" hidden></div>
      <div class="field">
        <label for="ds-name">Diagnostic setting name <span aria-hidden="true">*</span></label>
        <input type="text" id="ds-name" name="name" value="${esc(setting.name || "")}" ${editing ? "readonly" : "required"} aria-describedby="err-name">
        <span class="field-error" id="err-name"></span>
      </div>
      <div class="columns">
        <fieldset>
          <legend>Logs: categories</legend>
          <div class="check"><input type="checkbox" id="cat-all"><label for="cat-all">All logs</label></div>
          <div class="cats">${categories.map((c) => `<div class="check"><input type="checkbox" name="category" id="cat-${esc(c)}" value="${esc(c)}"${enabled.has(c) ? " checked" : ""}><label for="cat-${esc(c)}">${esc(c)}</label></div>`).join("")}</div>
          <span class="field-error" id="err-categories"></span>
        </fieldset>
        <fieldset>
          <legend>Destination details</legend>
          <span class="field-error" id="err-destinations"></span>
          <div class="check"><input type="checkbox" id="to-ws"${p.workspaceId ? " checked" : ""}><label for="to-ws">Send to Log Analytics workspace</label></div>
          <div class="dest" data-for="to-ws">
            <div class="field"><label for="ws-sub">Subscription</label><select id="ws-sub"><option>${esc(ctx.cfg.subscriptionId)}</option></select></div>
            <div class="field"><label for="ws-id">Log Analytics workspace</label>
              <select id="ws-id" aria-describedby="err-ws">${workspaces.map((w) => `<option value="${esc(w.id)}"${p.workspaceId && w.id.toLowerCase() === p.workspaceId.toLowerCase() ? " selected" : ""}>${esc(w.name)}</option>`).join("")}</select>
              <span class="field-error" id="err-ws"></span></div>
          </div>
          <div class="check"><input type="checkbox" id="to-sa"${p.storageAccountId ? " checked" : ""}><label for="to-sa">Archive to a storage account</label></div>
          <div class="dest" data-for="to-sa">
            <div class="field"><label for="sa-id">Storage account resource ID</label>
              <input type="text" id="sa-id" list="sa-list" value="${esc(p.storageAccountId || "")}" placeholder="/subscriptions/…/providers/Microsoft.Storage/storageAccounts/…" aria-describedby="err-sa">
              ${datalist("sa-list", pick.storage)}
              <span class="field-error" id="err-sa"></span></div>
          </div>
          <div class="check"><input type="checkbox" id="to-eh"${p.eventHubAuthorizationRuleId ? " checked" : ""}><label for="to-eh">Stream to an event hub</label></div>
          <div class="dest" data-for="to-eh">
            <div class="field"><label for="eh-rule">Event hub policy (authorization rule ID)</label>
              <input type="text" id="eh-rule" list="eh-list" value="${esc(p.eventHubAuthorizationRuleId || "")}" aria-describedby="err-eh">
              ${datalist("eh-list", pick.rules, (r) => r.id.split("/namespaces/")[1]?.replace("/authorizationRules/", " / ") || r.name)}
              <span class="field-error" id="err-eh"></span></div>
            <div class="field"><label for="eh-name">Event hub name (optional)</label><input type="text" id="eh-name" value="${esc(p.eventHubName || "")}"></div>
          </div>
          <div class="check"><input type="checkbox" id="to-pt"${p.marketplacePartnerId ? " checked" : ""}><label for="to-pt">Send to partner solution</label></div>
          <div class="dest" data-for="to-pt">
            <div class="field"><label for="pt-id">Partner solution resource ID</label>
              <input type="text" id="pt-id" list="pt-list" value="${esc(p.marketplacePartnerId || "")}" aria-describedby="err-pt">
              ${datalist("pt-list", pick.partners)}
              <span class="field-error" id="err-pt"></span></div>
          </div>
        </fieldset>
      </div>
      <div class="actions-bar">
        <button type="submit" class="primary save">Save</button>
        <button type="button" class="secondary discard">Discard</button>
        ${editing ? `<button type="button" class="secondary delete">Delete</button>` : ""}
        <span class="saved" role="status"></span>
      </div>
    </form>
    ${editing ? `<h2>Delivery status</h2><div class="status-host" aria-busy="true"><p class="loading">Loading…</p></div>` : ""}`;
}

/** SettingForm saves the setting and shows Azure's errors beside their fields. */
class SettingForm {
  constructor(host, categories, name) {
    this.host = host;
    this.categories = categories;
    this.name = name;
    this.$ = (s) => host.querySelector(s);
  }

  wire() {
    const $ = this.$, host = this.host, form = $("form");
    const toggles = () => {
      for (const d of host.querySelectorAll(".dest")) d.hidden = !$("#" + d.dataset.for).checked;
      const boxes = [...host.querySelectorAll("input[name=category]")];
      $("#cat-all").checked = boxes.length > 0 && boxes.every((b) => b.checked);
    };
    form.addEventListener("change", (e) => {
      if (e.target.id === "cat-all") for (const b of host.querySelectorAll("input[name=category]")) b.checked = e.target.checked;
      toggles();
    });
    toggles();
    form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    $(".discard").addEventListener("click", () => { location.hash = "#/diagnostics"; });
    $(".delete")?.addEventListener("click", () => this.remove());
  }

  async remove() {
    if (!confirm(`Delete the diagnostic setting ${this.name}?`)) return;
    try {
      await api.arm("DELETE", `${PROVIDER}/diagnosticSettings/${encodeURIComponent(this.name)}?${V}`);
      location.hash = "#/diagnostics";
    } catch (e) {
      this.showError(e);
    }
  }

  clearErrors() {
    for (const el of this.host.querySelectorAll(".field-error")) el.textContent = "";
    for (const el of this.host.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    this.$(".top-error").hidden = true;
  }

  /** Shows Azure's error beside the field it is about, else above the form. */
  showError(e) {
    const $ = this.$, m = e.message || "";
    const place = [
      [/at least one destination/i, "#err-destinations", null], [/InvalidResourceName|setting name/i, "#err-name", "#ds-name"],
      [/^Category/, "#err-categories", null],
      [/workspaceId|workspace/i, "#err-ws", "#ws-id"], [/storageAccountId|storage account/i, "#err-sa", "#sa-id"],
      [/eventHub/i, "#err-eh", "#eh-rule"], [/marketplacePartnerId|partner/i, "#err-pt", "#pt-id"],
    ].find(([re, where]) => (re.test(m) || re.test(e.code || "")) && !$(where).closest("[hidden]"));
    if (place) {
      $(place[1]).textContent = (e.status === 403 ? "403 Forbidden: " : "") + m;
      if (place[2]) { $(place[2]).setAttribute("aria-invalid", "true"); $(place[2]).focus(); }
    } else {
      $(".top-error").hidden = false;
      $(".top-error").innerHTML = (e.status === 403 ? "<strong>403 Forbidden.</strong> " : "") + esc(m);
    }
  }

  /** The setting's properties as the form has them. */
  properties() {
    const $ = this.$;
    const checked = new Set([...this.host.querySelectorAll("input[name=category]:checked")].map((b) => b.value));
    const value = (box, field) => ($(box).checked ? $(field).value.trim() || null : null);
    const props = {
      logs: this.categories.map((c) => ({ category: c, enabled: checked.has(c) })),
      workspaceId: value("#to-ws", "#ws-id"),
      storageAccountId: value("#to-sa", "#sa-id"),
      eventHubAuthorizationRuleId: value("#to-eh", "#eh-rule"),
      eventHubName: value("#to-eh", "#eh-name"),
    };
    if ($("#to-pt").checked) props.marketplacePartnerId = $("#pt-id").value.trim() || null;
    return props;
  }

  async submit() {
    const $ = this.$;
    this.clearErrors();
    const name = $("#ds-name").value.trim();
    if (!name) {
      $("#err-name").textContent = "The diagnostic setting needs a name.";
      $("#ds-name").setAttribute("aria-invalid", "true");
      $("#ds-name").focus();
      return;
    }
    $(".save").disabled = true;
    $(".saved").textContent = "Saving…";
    try {
      await api.arm("PUT", `${PROVIDER}/diagnosticSettings/${encodeURIComponent(name)}?${V}`, { properties: this.properties() });
      $(".saved").textContent = "Saved.";
      if (!this.name) location.hash = `#/diagnostics?edit=${encodeURIComponent(name)}`;
    } catch (e) {
      $(".saved").textContent = "";
      this.showError(e);
    } finally {
      $(".save").disabled = false;
    }
  }
}

/** Shows each destination's delivery: delivered, lag, last delivery and error. */
async function showStatus(sh, name) {
  try {
    const r = await api.arm("GET", `${PROVIDER}/diagnosticSettings/${encodeURIComponent(name)}/status?${V}`);
    sh.innerHTML = `<table class="list"><thead><tr><th scope="col">Destination</th><th scope="col">Target</th><th scope="col">Delivered</th><th scope="col">Lag (records)</th><th scope="col">Last delivery</th><th scope="col">Last error</th></tr></thead>
      <tbody>${(r.value || []).map((s) => `<tr><td>${esc(s.destination)}</td><td>${esc((s.target || "").split("/").pop())}</td><td>${Number(s.delivered).toLocaleString()}</td>
        <td class="${s.lag > 0 ? "" : "status-ok"}">${Number(s.lag).toLocaleString()}</td><td>${s.lastDeliveryTime ? esc(new Date(s.lastDeliveryTime).toLocaleString()) : "–"}</td>
        <td class="${s.lastError ? "status-bad" : ""}">${s.lastError ? esc(s.lastError) + (s.retrying ? " (retrying)" : "") : "–"}</td></tr>`).join("")}</tbody></table>`;
  } catch (e) {
    sh.innerHTML = e.status === 404 ? `<p class="muted">${esc(e.message)}</p>` : failure(e);
  }
  sh.removeAttribute("aria-busy");
}
