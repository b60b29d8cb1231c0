// One row of the jobs table. The row keeps its cells and patches them in place when the
// job changes, so a live update never rebuilds the row (the checkbox and focus survive).
import { h } from "../dom.js";
import { duration, num } from "../format.js";

export const TERMINAL = ["completed", "failed", "cancelled"];

// The one number that says how good a finished model is, per task; while training, the
// latest validation metric the worker reported.
const KEY_METRICS = [
  ["auc_roc", "AUC"],
  ["accuracy", "accuracy"],
  ["r2", "R²"],
  ["rmse", "RMSE"],
  ["mape", "MAPE"],
  ["mae", "MAE"],
];

export function keyMetric(job) {
  const m = job.metrics || {};
  for (const [key, label] of KEY_METRICS) {
    if (typeof m[key] === "number") return { label, value: num(m[key], 4) };
  }
  if (job.status !== "running") return null;
  const live = (job.progress && job.progress.metrics) || {};
  const name = Object.keys(live).find((k) => k.startsWith("valid_")) || Object.keys(live)[0];
  if (name && typeof live[name] === "number") return { label: name, value: num(live[name], 4) };
  return null;
}

// Percent and words for the progress bar: a finished job is full, a queued one empty.
export function progressOf(job) {
  const p = job.progress || {};
  if (job.status === "completed") return { percent: 100, label: "done" };
  if (job.status === "queued") return { percent: 0, label: "queued" };
  const percent = Math.max(0, Math.min(100, Number(p.percent) || 0));
  if (job.status === "failed") return { percent, label: (job.error && job.error.code) || "failed" };
  if (job.status === "cancelled") return { percent, label: "cancelled" };
  const phase = (p.phase || "starting").replace(/_/g, " ");
  const eta = Number.isFinite(p.eta_seconds) && p.eta_seconds > 0 ? ` · ${duration(p.eta_seconds)} left` : "";
  const shown = percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent);
  return { percent, label: `${phase} · ${shown}%${eta}` };
}

// Wall-clock time of the job: start to end, or start to now while it runs.
export function wallSeconds(job, now = Date.now()) {
  if (!job.started_at) return null;
  const start = Date.parse(job.started_at);
  const end = job.finished_at ? Date.parse(job.finished_at) : TERMINAL.includes(job.status) ? null : now;
  if (!Number.isFinite(start) || end === null || !Number.isFinite(end)) return null;
  return (end - start) / 1000;
}

function shortTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date().toDateString() === d.toDateString();
  const opts = today
    ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
    : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
  return d.toLocaleString(undefined, opts);
}

// Builds the row; `onSelect(id, checked)` and `onCancel(id)` are the table's.
export function makeJobRow(job, { selected, onSelect, onCancel }) {
  const id = job.job_id;
  const checkbox = h("input", {
    type: "checkbox",
    checked: selected,
    "data-testid": `select-${id}`,
    "aria-label": `Select ${job.name || id}`,
    onchange: (e) => onSelect(id, e.target.checked),
  });
  const badge = h("span", { "data-testid": `job-status-${id}` });
  const fill = h("div", { class: "progress-fill" });
  const bar = h("div", { class: "progress", "data-testid": `job-progress-${id}`, role: "progressbar" }, fill);
  const barLabel = h("div", { class: "progress-label" });
  const metricCell = h("td", { class: "num" });
  const durationCell = h("td", { class: "num" });
  const cancel = h(
    "button",
    { type: "button", class: "secondary small", "data-testid": `cancel-${id}`, title: "Cancel this job" },
    "Cancel",
  );
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    cancel.textContent = "Cancelling…";
    Promise.resolve(onCancel(id)).catch(() => {
      cancel.disabled = false;
      cancel.textContent = "Cancel";
    });
  });
  const link = h("a", { href: `#/jobs/${encodeURIComponent(id)}`, class: "job-link" });
  const el = h(
    "tr",
    { "data-testid": `job-row-${id}`, "data-job-id": id },
    h("td", { class: "select" }, checkbox),
    h("td", {}, link, h("div", { class: "job-id" }, id)),
    h("td", {}, job.algorithm || "–"),
    h("td", {}, job.task_type || "–"),
    h("td", {}, badge),
    h("td", { class: "progress-cell" }, bar, barLabel),
    metricCell,
    h("td", { class: "muted", title: job.created_at || "" }, shortTime(job.created_at)),
    durationCell,
    h("td", { class: "actions" }, cancel),
  );

  let current = job;
  function update(next) {
    current = next;
    link.textContent = next.name || id;
    badge.className = `badge badge-${next.status}`;
    badge.textContent = next.status;
    badge.dataset.status = next.status;
    badge.title = (next.error && next.error.message) || "";
    const p = progressOf(next);
    bar.dataset.percent = String(Math.round(p.percent * 10) / 10);
    bar.dataset.status = next.status;
    bar.setAttribute("aria-valuenow", String(Math.round(p.percent)));
    fill.style.width = `${p.percent}%`;
    barLabel.textContent = p.label;
    const metric = keyMetric(next);
    metricCell.replaceChildren(
      ...(metric ? [h("span", { class: "metric-label" }, metric.label + " "), metric.value] : ["–"]),
    );
    tick();
    const cancellable = next.status === "queued" || next.status === "running";
    cancel.hidden = !cancellable;
    if (!cancellable) {
      cancel.disabled = false;
      cancel.textContent = "Cancel";
    }
  }
  function tick() {
    const s = wallSeconds(current);
    // Demo jobs take a fraction of a second: "0s" would read as "did not run".
    durationCell.textContent = s !== null && s < 10 ? `${s.toFixed(1)}s` : duration(s);
  }
  update(job);
  return {
    el,
    update,
    tick,
    get job() {
      return current;
    },
    setSelected(on) {
      checkbox.checked = on;
    },
  };
}
