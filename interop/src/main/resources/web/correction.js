// The person page's correction requests (纠错): a form to dispute the colour, and the person's requests with their
// state and outcome. Self-contained: it reads the person from the page's address as person.js does.
"use strict";

(function () {
  const el = (id) => document.getElementById(id);

  const STATE_WORDS = {
    received: "Received: waiting for an operator.",
    in_review: "In review by an operator.",
    upheld: "Decided: your colour stands.",
    corrected: "Decided: your colour was corrected."
  };

  // while in review: a correction two operators approved, or one the risk engine refused
  const CORRECTION_WORDS = {
    approved: "Two operators approved a correction: it takes effect when the risk engine applies it.",
    refused: "The risk engine did not accept the proposed correction: an operator reviews your request again."
  };

  function correctionPerson() {
    const fromQuery = new URLSearchParams(window.location.search).get("id");
    if (fromQuery) {
      return fromQuery;
    }
    const parts = window.location.pathname.split("/").filter((p) => p.length > 0);
    return parts.length >= 2 ? decodeURIComponent(parts[1]) : null;
  }

  function correctionMessage(text, isError) {
    const m = el("correction-message");
    m.textContent = text;
    m.className = isError ? "error" : "ok";
  }

  function correctionItem(request) {
    const li = document.createElement("li");
    li.dataset.id = request.id;
    li.dataset.state = request.state;
    const state = document.createElement("div");
    state.className = "state";
    state.textContent = STATE_WORDS[request.state] || request.state;
    li.appendChild(state);
    if (request.correction && CORRECTION_WORDS[request.correction]) {
      li.dataset.correction = request.correction;
      const progress = document.createElement("div");
      progress.className = "progress";
      progress.textContent = CORRECTION_WORDS[request.correction];
      li.appendChild(progress);
    }
    const filed = document.createElement("div");
    filed.className = "muted";
    filed.textContent = "Sent " + new Date(request.filedAt).toLocaleString() + ": " + request.reason;
    li.appendChild(filed);
    if (request.evidence) {
      const evidence = document.createElement("div");
      evidence.className = "muted";
      evidence.textContent = "Evidence: " + request.evidence;
      li.appendChild(evidence);
    }
    if (request.outcome) {
      const outcome = document.createElement("div");
      outcome.className = "outcome";
      let text = "";
      if (request.outcome.colour) {
        text = "Your colour is " + colourInWords(request.outcome.colour) + " until "
          + new Date(request.outcome.until).toLocaleString() + ". ";
      }
      outcome.textContent = text + (request.outcome.note || "");
      li.appendChild(outcome);
    }
    return li;
  }

  async function loadCorrections() {
    const id = correctionPerson();
    if (!id) {
      return;
    }
    const list = el("correction-requests");
    try {
      const response = await fetch("/v1/corrections/me/" + encodeURIComponent(id), { cache: "no-store" });
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      const body = await response.json();
      list.replaceChildren(...(body.requests || []).map(correctionItem));
      document.body.dataset.corrections = "loaded";
    } catch (e) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Your requests could not be loaded right now.";
      list.replaceChildren(li);
    }
  }

  async function fileCorrection(event) {
    event.preventDefault();
    const id = correctionPerson();
    if (!id) {
      return;
    }
    const body = { reason: el("correction-reason").value, evidence: el("correction-evidence").value };
    el("correction-submit").disabled = true;
    try {
      const response = await fetch("/v1/corrections/me/" + encodeURIComponent(id) + ":file", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        cache: "no-store"
      });
      const answer = await response.json();
      if (response.status === 429) {
        const hours = Math.ceil(Number(response.headers.get("Retry-After") || "0") / 3600);
        correctionMessage("You have sent the most requests allowed for now; try again in about " + hours + " h.", true);
      } else if (!response.ok) {
        correctionMessage("Not sent: " + (answer.message || answer.error), true);
      } else {
        correctionMessage("Sent. Your request number is " + answer.id + ".", false);
        el("correction-form").reset();
      }
    } catch (e) {
      correctionMessage("The service cannot be reached; try again.", true);
    } finally {
      el("correction-submit").disabled = false;
      await loadCorrections();
    }
  }

  el("correction-form").addEventListener("submit", fileCorrection);
  loadCorrections();
  setInterval(loadCorrections, 60000);
})();
