// Compare runs (#/compare?jobs=a,b,c): metrics side by side with the best of each row
// marked, the configurations with their differences marked, overlaid ROC curves, the
// overlaid learning curves of a chosen metric (from each job's MLflow run) and feature
// importance side by side. Without jobs in the address: a picker of finished jobs
// (#/compare?with=<id> ticks one in advance).
import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { learningOverlayCard, rocOverlayCard } from "../charts/compare_charts.js";
import { color } from "../charts/chart_base.js";
import { importanceCard } from "../charts/importance_chart.js";
import { compareConfigTable, compareMetricsTable } from "./job_compare_tables.js";
import { renderPicker } from "./job_compare_picker.js";
import { iterationKeys, metricHistory } from "./job_history.js";

const MAX_JOBS = 10;

export function render(root, { query }) {
  const ids = [
    ...new Set(
      (query.get("jobs") || "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, MAX_JOBS);
  if (!ids.length) {
    renderPicker(root, (query.get("with") || "").split(",").filter(Boolean));
    return null;
  }
  let disposed = false;
  const cleanups = [];
  mount(root, h("p", { class: "hint", "data-testid": "compare-loading" }, "Loading jobs…"));
  Promise.allSettled(ids.map((id) => api(`/api/v1/ml/train/${encodeURIComponent(id)}`))).then((answers) => {
    if (disposed) return;
    const jobs = answers.filter((a) => a.status === "fulfilled").map((a) => a.value);
    const missing = ids.filter((_, i) => answers[i].status === "rejected");
    labelJobs(jobs);
    draw(root, jobs, missing, cleanups, () => disposed);
  });
  return () => {
    disposed = true;
    for (const c of cleanups) c();
  };
}

// A short name per job for legends and column heads: its name, with the end of its id
// when two jobs share a name.
function labelJobs(jobs) {
  const seen = new Map();
  for (const j of jobs) seen.set(j.name, (seen.get(j.name) || 0) + 1);
  for (const j of jobs) j.label = seen.get(j.name) > 1 ? `${j.name} · ${j.job_id.slice(-6)}` : j.name;
}

function draw(root, jobs, missing, cleanups, isDisposed) {
  const notes = [];
  if (missing.length)
    notes.push(h("p", { class: "error", "data-testid": "compare-missing" }, `Not found: ${missing.join(", ")}`));
  const unfinished = jobs.filter((j) => j.status !== "completed");
  if (unfinished.length)
    notes.push(
      h(
        "p",
        { class: "hint" },
        `Not completed (no results to compare): ${unfinished.map((j) => `${j.label} (${j.status})`).join(", ")}`,
      ),
    );
  const edit = h(
    "a",
    {
      class: "button secondary",
      href: `#/compare?with=${jobs.map((j) => encodeURIComponent(j.job_id)).join(",")}`,
      "data-testid": "compare-edit",
    },
    "Change selection",
  );
  const charts = [];
  const rocCard = rocOverlayCard(jobs);
  const importance = importanceCard(
    "compare-importance",
    "Feature importance",
    jobs
      .filter((j) => Object.keys(j.feature_importance || {}).length)
      .map((j) => ({ label: j.label, importance: j.feature_importance })),
  );
  const learning = learningSection(jobs, isDisposed);
  cleanups.push(learning.destroy);
  const title = `Comparing ${jobs.length} job${jobs.length === 1 ? "" : "s"}`;
  const legend = h(
    "ul",
    { class: "cp-legend" },
    jobs.map((j, i) => h("li", {}, h("i", { class: "cp-swatch", style: { background: color(i) } }), j.label)),
  );
  mount(
    root,
    h(
      "div",
      { class: "jp-page cp-page" },
      h("header", { class: "card cp-header" }, h("div", {}, h("h1", { class: "jp-title" }, title), legend), edit),
      notes,
      compareMetricsTable(jobs),
      h("div", { class: "jp-grid" }, rocCard?.card || null, learning.card),
      importance?.card || null,
      compareConfigTable(jobs),
    ),
  );
  if (rocCard) charts.push(rocCard.draw());
  if (importance) charts.push(importance.draw());
  learning.start();
  cleanups.push(() => charts.forEach((c) => c.destroy()));
}

// The learning-curve overlay: a picker of the metrics the jobs logged per iteration, each
// job's history of the picked one fetched once and kept.
function learningSection(jobs, isDisposed) {
  const select = h("select", { "data-testid": "compare-metric", "aria-label": "Metric" });
  const status = h("p", { class: "hint", "data-testid": "compare-learning-status" });
  const overlay = learningOverlayCard(h("div", { class: "jp-chart-tools" }, select));
  overlay.card.insertBefore(status, overlay.card.lastChild);
  const cache = new Map(); // `${job}\n${metric}` → points
  const finished = jobs.filter((j) => j.status === "completed");

  async function show(metric) {
    status.textContent = "loading…";
    const series = await Promise.all(
      finished.map(async (j) => {
        const key = `${j.job_id}\n${metric}`;
        if (!cache.has(key)) cache.set(key, await metricHistory(j.job_id, metric).catch(() => []));
        return { label: j.label, index: jobs.indexOf(j), points: cache.get(key) };
      }),
    );
    if (isDisposed() || select.value !== metric) return;
    const present = series.filter((s) => s.points.length);
    status.textContent =
      present.length < series.length ? `${series.length - present.length} job(s) did not log ${metric}` : "";
    overlay.draw(metric, present);
  }

  async function start() {
    const keysPerJob = await Promise.all(finished.map((j) => iterationKeys(j.job_id).catch(() => [])));
    if (isDisposed()) return;
    // Metrics logged by the most jobs first; validation metrics before training ones.
    const count = new Map();
    for (const keys of keysPerJob) for (const k of keys) count.set(k, (count.get(k) || 0) + 1);
    const keys = [...count.keys()].sort(
      (a, b) =>
        count.get(b) - count.get(a) ||
        Number(b.startsWith("valid")) - Number(a.startsWith("valid")) ||
        a.localeCompare(b),
    );
    if (!keys.length) {
      overlay.card.hidden = true;
      return;
    }
    mount(
      select,
      keys.map((k) => h("option", { value: k }, `${k} (${count.get(k)}/${finished.length})`)),
    );
    select.addEventListener("change", () => show(select.value));
    await show(keys[0]);
  }

  return {
    card: overlay.card,
    start: () => start().catch(() => (status.textContent = "could not load the metric histories")),
    destroy: overlay.destroy,
  };
}
