// The person's page, fellow-traveller self-check: a flight or train number and date, optionally a carriage or row,
// sent to /v1/self-check/vehicle (no account needed); shows whether a case travelled on it and whether close.
"use strict";

(function () {
  const el = (id) => document.getElementById(id);

  function show(kind, headline, detail) {
    const box = el("self-check-answer");
    box.className = "answer " + kind;
    box.dataset.result = kind;
    const h = document.createElement("div");
    h.className = "headline";
    h.textContent = headline;
    const p = document.createElement("p");
    p.textContent = detail || "";
    box.replaceChildren(h, p);
  }

  function headlineOf(answer) {
    if (!answer.caseOnBoard) {
      return ["no-case", "No known case on " + answer.vehicleId + "."];
    }
    if (answer.closeToACase === true) {
      return ["case-close", "A case travelled on " + answer.vehicleId + ", close to you."];
    }
    return ["case-on-board", "A case travelled on " + answer.vehicleId + "."];
  }

  async function check(event) {
    event.preventDefault();
    const number = el("sc-number").value.trim();
    const date = el("sc-date").value;
    const query = new URLSearchParams();
    query.set("vehicleId", number + "@" + date);
    if (el("sc-carriage").value.trim()) {
      query.set("carriage", el("sc-carriage").value.trim());
    }
    if (el("sc-row").value.trim()) {
      query.set("row", el("sc-row").value.trim());
    }
    try {
      const response = await fetch("/v1/self-check/vehicle?" + query.toString(), { cache: "no-store" });
      const body = await response.json();
      if (response.status === 400) {
        const field = { vehicleId: "flight or train number and date", carriage: "carriage", row: "seat row" };
        show("error", "Please check the " + (field[body.field] || "form") + ".", body.message);
      } else if (response.status === 429) {
        const wait = response.headers.get("Retry-After");
        show("error", "Too many checks from here.", "Try again in " + wait + " s.");
      } else if (!response.ok) {
        show("error", "The check is not available right now.", body.message);
      } else {
        const [kind, headline] = headlineOf(body);
        show(kind, headline, body.advice);
      }
    } catch (e) {
      show("error", "The check service cannot be reached.", "");
    }
  }

  el("self-check-form").addEventListener("submit", check);
})();
