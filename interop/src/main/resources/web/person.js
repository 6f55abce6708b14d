// The person's page: their code as a QR in its colour, since when, their reasons in plain words, and a countdown to
// the code's expiry; it fetches a fresh code at the server's refreshAt, before the shown one expires.
"use strict";

(function () {
  const el = (id) => document.getElementById(id);
  let expiresAt = null;
  let refreshTimer = null;

  function personId() {
    const fromQuery = new URLSearchParams(window.location.search).get("id");
    if (fromQuery) {
      return fromQuery;
    }
    const parts = window.location.pathname.split("/").filter((p) => p.length > 0);
    return parts.length >= 2 ? decodeURIComponent(parts[1]) : null;
  }

  function showError(message) {
    el("error").textContent = message;
    el("error").classList.remove("hidden");
    document.body.dataset.state = "error";
  }

  function tick() {
    if (!expiresAt) {
      return;
    }
    const left = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    el("countdown").textContent = left > 0 ? "Code valid for " + minutes + ":" + seconds : "Code expired: refreshing…";
  }

  async function loadReasons(id) {
    const list = el("reasons");
    list.replaceChildren();
    try {
      const response = await fetch("/v1/status/" + encodeURIComponent(id), { cache: "no-store" });
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      const status = await response.json();
      const conditions = status.conditions || [];
      if (conditions.length === 0) {
        const li = document.createElement("li");
        li.textContent = "Nothing is recorded against you.";
        list.appendChild(li);
      }
      for (const c of conditions) {
        const li = document.createElement("li");
        li.dataset.reason = c.reason;
        li.dataset.declared = c.declared ? "true" : "false";
        li.textContent = reasonInWords(c.reason) + (c.declared ? " (from your own declaration)" : "")
          + (c.endsWith ? " It ends with: " + c.endsWith + "." : "");
        list.appendChild(li);
      }
    } catch (e) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Your reasons could not be loaded right now.";
      list.appendChild(li);
    }
  }

  async function refresh() {
    const id = personId();
    if (!id) {
      showError("No person given: open /app/<your id>.");
      return;
    }
    let code;
    try {
      const response = await fetch("/v1/codes/" + encodeURIComponent(id), { method: "POST", cache: "no-store" });
      const body = await response.json();
      if (!response.ok) {
        showError(body.error === "unknown_person" ? "No health code is known for you yet." : "No code: " + body.error);
        el("colour").textContent = "No code";
        scheduleRefresh(30000);
        return;
      }
      code = body;
    } catch (e) {
      showError("The code service cannot be reached; retrying.");
      scheduleRefresh(10000);
      return;
    }
    el("error").classList.add("hidden");
    const card = el("card");
    card.className = "card colour-" + code.colour;
    el("colour").textContent = colourInWords(code.colour);
    el("colour").dataset.colour = code.colour;
    const qr = el("qr");
    qr.src = "/v1/codes/" + encodeURIComponent(id) + "/qr.svg?issued=" + encodeURIComponent(code.issuedAt);
    qr.classList.remove("hidden");
    el("since").textContent = colourInWords(code.colour) + " since " + new Date(code.since).toLocaleString();
    expiresAt = Date.parse(code.expiresAt);
    tick();
    await loadReasons(id);
    document.body.dataset.state = "ready";
    document.body.dataset.code = code.code;
    scheduleRefresh(Date.parse(code.refreshAt) - Date.now());
  }

  function scheduleRefresh(delayMs) {
    if (refreshTimer) {
      clearTimeout(refreshTimer);
    }
    refreshTimer = setTimeout(refresh, Math.max(1000, delayMs));
  }

  setInterval(tick, 1000);
  // a form on the page (a declaration) may have changed the status: look again shortly
  window.addEventListener("healthcode:status-may-change", () => scheduleRefresh(3000));
  refresh();
})();
