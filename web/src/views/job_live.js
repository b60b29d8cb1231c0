// Where a job stands while it runs: phase, iteration of total, a progress bar, the ETA and
// the latest metrics, above the learning curve (one line per metric, growing as progress
// events bring each iteration's metrics).
import { h } from "../dom.js";
import { duration, num } from "../format.js";
import { chartCard } from "../charts/chart_base.js";
import { LearningCurve } from "../charts/learning_curve.js";

const PHASES = ["queued", "loading_data", "preprocessing", "training", "evaluating", "saving"];

export function phaseName(phase) {
  return (phase || "").replaceAll("_", " ");
}

export function makeLivePanel() {
  const steps = h(
    "ol",
    { class: "jp-phases" },
    PHASES.map((p) => h("li", { "data-phase": p }, phaseName(p))),
  );
  const phase = h("span", { class: "jp-stat-value", "data-testid": "job-phase" }, "–");
  const iteration = h("span", { class: "jp-stat-value", "data-testid": "job-iteration" }, "–");
  const eta = h("span", { class: "jp-stat-value", "data-testid": "job-eta" }, "–");
  const percent = h("span", { class: "jp-stat-value" }, "–");
  const fill = h("div", { class: "jp-progress-fill" });
  const bar = h(
    "div",
    {
      class: "jp-progress",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "data-testid": "job-progress",
      "data-percent": "0",
    },
    fill,
  );
  const latest = h("div", { class: "jp-latest", "data-testid": "job-latest-metrics" });
  const stat = (label, value) => h("div", { class: "jp-stat" }, h("span", { class: "jp-stat-label" }, label), value);
  const el = h(
    "section",
    { class: "card jp-live", "data-testid": "job-live" },
    steps,
    h(
      "div",
      { class: "jp-stats" },
      stat("Phase", phase),
      stat("Iteration", iteration),
      stat("Progress", percent),
      stat("ETA", eta),
    ),
    bar,
    latest,
  );
  const chart = chartCard("learning-curve", "Learning curve", { height: 320 });
  const curve = new LearningCurve(chart.canvas);

  // progress: a job record's `progress` or a progress event (same fields).
  function update(progress = {}, status) {
    const p = progress.phase || (status === "queued" ? "queued" : "");
    phase.textContent = phaseName(p) || "–";
    const at = PHASES.indexOf(p);
    for (const li of steps.children) {
      const i = PHASES.indexOf(li.dataset.phase);
      li.className = i < at ? "done" : i === at ? "current" : "";
    }
    if (Number.isFinite(progress.iteration)) {
      iteration.textContent = Number.isFinite(progress.total_iterations)
        ? `${num(progress.iteration)} / ${num(progress.total_iterations)}`
        : num(progress.iteration);
      iteration.dataset.iteration = String(progress.iteration);
    }
    if (Number.isFinite(progress.percent)) {
      const pct = Math.max(0, Math.min(100, progress.percent));
      fill.style.width = `${pct}%`;
      bar.dataset.percent = String(pct);
      bar.setAttribute("aria-valuenow", String(pct));
      percent.textContent = `${num(pct, 1)}%`;
    }
    eta.textContent = Number.isFinite(progress.eta_seconds) ? duration(progress.eta_seconds) : "–";
    if (progress.metrics && Object.keys(progress.metrics).length) {
      latest.replaceChildren(
        ...Object.entries(progress.metrics).map(([k, v]) =>
          h("span", { class: "jp-chip" }, h("span", { class: "jp-chip-key" }, k), " ", num(v)),
        ),
      );
    }
  }

  return { el, chartCard: chart.card, curve, update };
}
