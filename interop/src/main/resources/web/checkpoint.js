// The checkpoint page: a pasted code or a photo of a QR -> the server's verdict, shown large in the code's colour.
// Photos are read by the browser's BarcodeDetector when it has one, else decoded by the server (/v1/verify-image).
"use strict";

(function () {
  const el = (id) => document.getElementById(id);

  function query() {
    const params = new URLSearchParams();
    const checkpoint = el("checkpoint").value.trim();
    const area = el("area").value.trim();
    // who the checkpoint is comes from its key; a checkpoint id is only read without a key (development mode)
    if (el("record").checked || checkpoint) {
      params.set("scan", "in");
      if (checkpoint) {
        params.set("checkpoint", checkpoint);
      }
      if (area) {
        params.set("area", area);
      }
    }
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function show(verdict) {
    const box = el("verdict");
    const valid = verdict.result === "valid";
    box.className = "verdict " + (valid ? "colour-" + (verdict.colour || "none") : "invalid");
    box.dataset.result = verdict.result;
    box.dataset.colour = verdict.colour || "";
    el("verdict-result").textContent = verdict.result;
    el("verdict-colour").textContent = valid && verdict.colour ? colourInWords(verdict.colour) : "";
    el("verdict-reason").textContent = verdictInWords(verdict.result)
      + (verdict.detail ? " (" + verdict.detail + ")" : "");
  }

  function showError(message, code) {
    show({ result: code || "error", detail: message });
  }

  // the checkpoint's credential: sent as a bearer token, kept for this tab only (never in a URL or cookie)
  const keyStore = window.sessionStorage;
  el("apikey").value = keyStore.getItem("checkpointApiKey") || "";
  el("apikey").addEventListener("change", () => keyStore.setItem("checkpointApiKey", el("apikey").value.trim()));

  async function post(path, body, contentType) {
    const headers = { "Content-Type": contentType };
    const key = el("apikey").value.trim();
    if (key) {
      headers.Authorization = "Bearer " + key;
    }
    try {
      const response = await fetch(path + query(), {
        method: "POST", body: body, headers: headers, cache: "no-store"
      });
      const json = await response.json();
      if (!response.ok) {
        showError(json.message, json.error);
        return;
      }
      show(json);
    } catch (e) {
      showError("the verification service cannot be reached");
    }
  }

  el("verify").addEventListener("click", () => {
    const code = el("code").value.trim();
    if (!code) {
      showError("paste a code first", "malformed");
      return;
    }
    post("/v1/verify", code, "text/plain; charset=utf-8");
  });

  el("photo").addEventListener("change", async () => {
    const file = el("photo").files[0];
    if (!file) {
      return;
    }
    if ("BarcodeDetector" in window) {
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        const found = await detector.detect(await createImageBitmap(file));
        if (found.length > 0) {
          el("code").value = found[0].rawValue;
          post("/v1/verify", found[0].rawValue, "text/plain; charset=utf-8");
          return;
        }
      } catch (e) {
        // fall through to the server, which reads more pictures than some detectors
      }
    }
    post("/v1/verify-image", file, file.type || "application/octet-stream");
  });
})();
