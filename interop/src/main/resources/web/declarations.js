// The person's declarations on their page: a health declaration (symptoms, temperature) and an itinerary (an area
// passed through, from, to), each sent to /v1/declarations/{personId}/... with an id and a time chosen once per
// declaration, so sending it again after a failure is the same declaration, counted once.
"use strict";

(function () {
  const el = (id) => document.getElementById(id);

  function personId() {
    const fromQuery = new URLSearchParams(window.location.search).get("id");
    if (fromQuery) {
      return fromQuery;
    }
    const parts = window.location.pathname.split("/").filter((p) => p.length > 0);
    return parts.length >= 2 ? decodeURIComponent(parts[1]) : null;
  }

  function newDeclarationId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // A datetime-local value ("2022-04-01T10:00") is the phone's local time: sent as ISO-8601 with its offset.
  function withOffset(local) {
    if (!local) {
      return null;
    }
    const d = new Date(local);
    if (isNaN(d.getTime())) {
      return local;
    }
    return d.toISOString();
  }

  function show(result, text, ok) {
    result.textContent = text;
    result.classList.remove("hidden");
    result.classList.toggle("error", !ok);
    result.dataset.outcome = ok ? "accepted" : "refused";
  }

  // One pending declaration per form: kept until the server accepts or refuses it, so a retry after a network
  // failure resends the same declarationId and declaredAt.
  async function send(form, kind, build, describe) {
    const result = form.querySelector(".declaration-result");
    const id = personId();
    if (!id) {
      show(result, "No person given: open /app/<your id>.", false);
      return;
    }
    const pending = form.pending || { declarationId: newDeclarationId(), declaredAt: new Date().toISOString() };
    form.pending = pending;
    const body = Object.assign({ declarationId: pending.declarationId, declaredAt: pending.declaredAt }, build());
    let response;
    let answer;
    try {
      response = await fetch("/v1/declarations/" + encodeURIComponent(id) + "/" + kind, {
        method: "POST",
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body)
      });
      answer = await response.json();
    } catch (e) {
      show(result, "Not sent: the service cannot be reached. Press the button again to retry.", false);
      return;
    }
    if (response.status >= 500) {
      show(result, "Not recorded yet (" + answer.error + "). Press the button again to retry.", false);
      return;
    }
    form.pending = null;
    if (!response.ok) {
      show(result, "Not accepted: " + answer.message, false);
      return;
    }
    show(result, describe(body), true);
    form.dataset.declarationId = answer.declarationId;
    // the person's colour may change once the declaration is processed
    window.dispatchEvent(new CustomEvent("healthcode:status-may-change"));
  }

  function healthBody() {
    const symptoms = Array.from(el("health-form").querySelectorAll("input[name=symptom]:checked"), (c) => c.value);
    const t = el("health-temperature").value.trim();
    const body = { symptoms: symptoms };
    if (t !== "") {
      body.temperature = Number(t);
    }
    return body;
  }

  function describeHealth(body) {
    const what = body.symptoms.length > 0 ? body.symptoms.map(symptomInWords).join(", ") : "no symptoms";
    const t = body.temperature !== undefined ? ", " + body.temperature + " °C" : "";
    return "Health declaration received: " + what + t + ".";
  }

  function itineraryBody() {
    return {
      stops: [
        {
          areaCode: el("itinerary-area").value.trim(),
          from: withOffset(el("itinerary-from").value),
          to: withOffset(el("itinerary-to").value)
        }
      ]
    };
  }

  function describeItinerary(body) {
    return "Itinerary received: area " + body.stops[0].areaCode + ".";
  }

  el("health-form").addEventListener("submit", (e) => {
    e.preventDefault();
    send(el("health-form"), "health", healthBody, describeHealth);
  });
  el("itinerary-form").addEventListener("submit", (e) => {
    e.preventDefault();
    send(el("itinerary-form"), "itinerary", itineraryBody, describeItinerary);
  });
  // a changed form is a new declaration
  for (const form of [el("health-form"), el("itinerary-form")]) {
    form.addEventListener("input", () => {
      form.pending = null;
    });
  }
})();
