// What a finished job leaves behind: its Training BOM (collapsible, pretty JSON) and the
// model file. The download needs the Authorization header, which a plain link cannot
// send, so the file is fetched as a blob and saved through an object URL under the name
// the server gives in Content-Disposition.
import { api, apiKey } from "../api.js";
import { h } from "../dom.js";
import { bytes } from "../format.js";

export function bomPanel(jobId) {
  const pre = h("pre", { class: "jp-json", "data-testid": "bom-json" }, "Loading…");
  const copy = h("button", { type: "button", class: "secondary small", "data-testid": "bom-copy" }, "Copy");
  const details = h(
    "details",
    { class: "card jp-bom", "data-testid": "bom" },
    h(
      "summary",
      {},
      h("h3", {}, "Training BOM"),
      h("span", { class: "hint" }, "dataset origin, features, model, MLflow params and metrics"),
    ),
    h("div", { class: "jp-json-tools" }, copy),
    pre,
  );
  let text = "";
  copy.addEventListener("click", () => navigator.clipboard?.writeText(text).catch(() => {}));
  api(`/api/v1/ml/train/${encodeURIComponent(jobId)}/bom`).then(
    (bom) => {
      text = JSON.stringify(bom, null, 2);
      pre.textContent = text;
      details.dataset.loaded = "true";
    },
    (e) => {
      pre.textContent = `The BOM could not be read: ${e.message}`;
      pre.classList.add("error");
      details.dataset.loaded = "error";
    },
  );
  return details;
}

// The worker's log (its last 256 KiB), read when first opened: it is plain text, not JSON.
export function logPanel(jobId) {
  const pre = h("pre", { class: "jp-json jp-log", "data-testid": "job-log-text" }, "Loading…");
  const details = h(
    "details",
    { class: "card jp-bom", "data-testid": "job-log" },
    h("summary", {}, h("h3", {}, "Worker log"), h("span", { class: "hint" }, "what the training process wrote")),
    pre,
  );
  let asked = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || asked) return;
    asked = true;
    try {
      const res = await fetch(`/api/v1/ml/train/${encodeURIComponent(jobId)}/logs?tail_bytes=262144`, {
        headers: { Authorization: "Bearer " + apiKey() },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      pre.textContent = (await res.text()) || "(empty)";
      details.dataset.loaded = "true";
    } catch (e) {
      pre.textContent = `The log could not be read: ${e.message}`;
      details.dataset.loaded = "error";
    }
  });
  return details;
}

export function downloadButton(job) {
  const id = job.model_artifact_id;
  const status = h("span", { class: "hint", "data-testid": "download-status" });
  const button = h("button", { type: "button", "data-testid": "download-model" }, "Download model");
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Downloading…";
    try {
      const { blob, name } = await fetchModel(id);
      saveBlob(blob, name);
      status.textContent = `${name} · ${bytes(blob.size)}`;
    } catch (e) {
      status.textContent = `Download failed: ${e.message}`;
      status.classList.add("error");
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "jp-download" }, button, status);
}

async function fetchModel(id) {
  const res = await fetch(`/api/v1/ml/models/${encodeURIComponent(id)}/download`, {
    headers: { Authorization: "Bearer " + apiKey() },
  });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message || `HTTP ${res.status}`);
  }
  const blob = await res.blob();
  return { blob, name: fileName(res.headers.get("Content-Disposition")) || `${id}.bin` };
}

// attachment; filename="model-x-model.json"  or  filename*=UTF-8''model%20x.json
function fileName(disposition) {
  if (!disposition) return "";
  const star = /filename\*\s*=\s*[^']*''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1].trim());
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(disposition);
  return plain ? (plain[1] ?? plain[2]) : "";
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is freed once it surely has the blob.
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}
