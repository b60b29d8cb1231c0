// The jobs list's filters (status, algorithm, name) and their place in the hash query,
// so a filtered list can be bookmarked and survives a reload:
//   #/jobs?status=running,queued&algorithm=xgboost&name=churn-predictor-v2
import { h } from "../dom.js";

export const STATUSES = ["queued", "running", "completed", "failed", "cancelled"];

export function filtersFromQuery(query) {
  const status = (query.get("status") || "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => STATUSES.includes(s));
  return { status, algorithm: query.get("algorithm") || "", name: query.get("name") || "" };
}

export function filtersToQuery(f) {
  const q = new URLSearchParams();
  if (f.status.length) q.set("status", f.status.join(","));
  if (f.algorithm) q.set("algorithm", f.algorithm);
  if (f.name) q.set("name", f.name);
  return q;
}

// The list request for these filters (the server filters; names match exactly).
export function listPath(f, pageToken = "", limit = 25) {
  const q = filtersToQuery(f);
  q.set("limit", String(limit));
  if (pageToken) q.set("page_token", pageToken);
  return "/api/v1/ml/train?" + q.toString().replace(/%2C/g, ",");
}

// Whether a job pushed by the stream belongs in the filtered list.
export function matches(f, job) {
  if (f.status.length && !f.status.includes(job.status)) return false;
  if (f.algorithm && job.algorithm !== f.algorithm) return false;
  if (f.name && job.name !== f.name) return false;
  return true;
}

// The filter bar. `onChange(filters)` runs on every change (the name after a short pause).
export function makeFilterBar(initial, algorithms, onChange) {
  const f = { status: [...initial.status], algorithm: initial.algorithm, name: initial.name };
  const statusBoxes = STATUSES.map((s) =>
    h(
      "label",
      { class: `chip chip-${s}` },
      h("input", {
        type: "checkbox",
        value: s,
        checked: f.status.includes(s),
        "data-testid": `filter-status-${s}`,
        onchange: () => {
          f.status = statusBoxes.map((b) => b.firstChild).filter((i) => i.checked).map((i) => i.value);
          onChange({ ...f });
        },
      }),
      s,
    ),
  );
  const algorithm = h(
    "select",
    {
      "data-testid": "filter-algorithm",
      "aria-label": "Algorithm",
      onchange: (e) => {
        f.algorithm = e.target.value;
        onChange({ ...f });
      },
    },
    h("option", { value: "" }, "All algorithms"),
    algorithms.map((a) => h("option", { value: a, selected: a === f.algorithm }, a)),
  );
  if (f.algorithm && !algorithms.includes(f.algorithm)) {
    algorithm.append(h("option", { value: f.algorithm, selected: true }, f.algorithm));
  }
  let pause = null;
  const name = h("input", {
    type: "search",
    value: f.name,
    placeholder: "Job name",
    "aria-label": "Job name",
    "data-testid": "filter-name",
    title: "Shows the jobs of exactly this name",
    oninput: (e) => {
      clearTimeout(pause);
      pause = setTimeout(() => {
        f.name = e.target.value.trim();
        onChange({ ...f });
      }, 300);
    },
  });
  const el = h(
    "div",
    { class: "filters" },
    h("div", { class: "chips", role: "group", "aria-label": "Status", "data-testid": "filter-status" }, statusBoxes),
    algorithm,
    name,
  );
  return { el, dispose: () => clearTimeout(pause) };
}
