// The person's page, risk areas: the high and medium risk areas in force now (/v1/risk-areas) and which of the
// person's recent stays overlap one (/v1/risk-areas/me/<id>: the stays behind their risk-area conditions, and their own
// declared stops that overlap a listing but count in no condition now).
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

  function item(text, data) {
    const li = document.createElement("li");
    li.textContent = text;
    Object.assign(li.dataset, data || {});
    return li;
  }

  function period(from, to) {
    const f = new Date(from).toLocaleDateString();
    return to ? f + " to " + new Date(to).toLocaleDateString() : "from " + f + " until further notice";
  }

  function levelInWords(level) {
    return level === "high" ? "High risk" : "Medium risk";
  }

  async function load() {
    const areas = el("risk-areas-list");
    const stays = el("your-risk-stays");
    const id = personId();
    try {
      const response = await fetch(
        id ? "/v1/risk-areas/me/" + encodeURIComponent(id) : "/v1/risk-areas", { cache: "no-store" });
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      const body = await response.json();
      areas.replaceChildren();
      if (body.areas.length === 0) {
        areas.appendChild(item("No area is listed as high or medium risk now.", { none: "true" }));
      }
      for (const a of body.areas) {
        areas.appendChild(item(levelInWords(a.level) + ": area " + a.areaCode + ", " + period(a.from, a.to) + ".",
          { area: a.areaCode, level: a.level }));
      }
      stays.replaceChildren();
      const yours = body.yourStays || [];
      if (yours.length === 0) {
        stays.appendChild(item("None of your recent stays overlaps a risk area.", { none: "true" }));
      }
      for (const s of yours) {
        const what = s.declared ? "The stay you declared in area " + s.areaCode + " (" + s.stay + ") was there"
          : "Your stay " + s.stay + " was in area " + s.areaCode;
        stays.appendChild(item(what + " while it was listed "
          + (s.level === "high" ? "high" : "medium") + " risk (" + period(s.listedFrom, s.listedTo) + ")"
          + (s.listedNow ? "; it is still listed." : ".")
          + (s.counted === false ? " It does not count in your colour now." : ""),
          { area: s.areaCode, level: s.level, counted: String(s.counted !== false) }));
      }
      el("risk-areas").dataset.state = "ready";
    } catch (e) {
      areas.replaceChildren(item("Risk areas could not be loaded right now."));
      stays.replaceChildren();
      el("risk-areas").dataset.state = "error";
    }
  }

  load();
})();
