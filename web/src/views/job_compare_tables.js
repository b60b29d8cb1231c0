// The compare page's tables: metrics side by side with the best value of each row marked,
// and the configurations side by side with the rows that differ marked.
import { h } from "../dom.js";
import { num } from "../format.js";
import { color } from "../charts/chart_base.js";
import { metricLabel, scalarMetrics } from "./job_tables.js";

const HIGHER_IS_BETTER = new Set(["accuracy", "auc_roc", "precision", "recall", "f1_score", "r2", "oob_score"]);
const LOWER_IS_BETTER = new Set(["log_loss", "rmse", "mae", "mape", "smape", "mase", "training_duration_seconds"]);

function jobHead(job, i) {
  return h(
    "th",
    { scope: "col", class: "cp-job-head" },
    h("i", { class: "cp-swatch", style: { background: color(i) } }),
    h("a", { href: `#/jobs/${encodeURIComponent(job.job_id)}` }, job.label),
    h("div", { class: "jp-id" }, `${job.algorithm} · ${job.job_id}`),
  );
}

export function compareMetricsTable(jobs) {
  const names = [];
  for (const job of jobs)
    for (const [k, v] of scalarMetrics(job.metrics)) if (typeof v === "number" && !names.includes(k)) names.push(k);
  const rows = names.map((k) =>
    metricRow(
      k,
      metricLabel(k),
      jobs.map((j) => j.metrics?.[k]),
    ),
  );
  rows.push(
    metricRow(
      "training_duration_seconds",
      "Training time (s)",
      jobs.map((j) => j.training_duration_seconds),
    ),
  );
  return h(
    "section",
    { class: "card cp-metrics" },
    h("h3", {}, "Test metrics"),
    h("p", { class: "hint" }, "The best value of each row is marked (higher or lower, as the metric goes)."),
    h(
      "div",
      { class: "jp-scroll" },
      h(
        "table",
        { class: "jp-table cp-table", "data-testid": "compare-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Metric"), jobs.map(jobHead))),
        h("tbody", {}, rows),
      ),
    ),
  );
}

function metricRow(key, label, values) {
  const finite = values.filter(Number.isFinite);
  let best = null;
  if (finite.length > 1 && HIGHER_IS_BETTER.has(key)) best = Math.max(...finite);
  if (finite.length > 1 && LOWER_IS_BETTER.has(key)) best = Math.min(...finite);
  return h(
    "tr",
    { "data-metric": key },
    h("th", { scope: "row", title: key }, label),
    values.map((v) =>
      h(
        "td",
        {
          class: "num" + (best !== null && v === best ? " cp-best" : ""),
          "data-best": best !== null && v === best ? "true" : null,
        },
        v === undefined ? "–" : num(v),
      ),
    ),
  );
}

// Configuration rows: the fields that define a run, then every hyperparameter.
function configRows(jobs) {
  const rows = new Map();
  const put = (name, i, value) => {
    if (!rows.has(name)) rows.set(name, new Array(jobs.length).fill(undefined));
    rows.get(name)[i] = value;
  };
  jobs.forEach((job, i) => {
    const c = job.config || {};
    put("algorithm", i, job.algorithm);
    put("task_type", i, job.task_type);
    put("dataset.query", i, c.dataset?.query);
    put("target_column", i, c.target_column);
    put("feature_columns", i, c.feature_columns);
    for (const [k, v] of Object.entries(c.split || {})) put(`split.${k}`, i, v);
    for (const [k, v] of Object.entries(c.forecast || {})) put(`forecast.${k}`, i, v);
    for (const [k, v] of Object.entries(c.hyperparameters || {})) put(k, i, v);
  });
  return rows;
}

function show(v) {
  if (v === undefined) return "–";
  if (v === null) return "null";
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== "object")) return v.join(", ");
  return JSON.stringify(v);
}

export function compareConfigTable(jobs) {
  const rows = [...configRows(jobs).entries()].map(([name, values]) => {
    const differs = new Set(values.map((v) => JSON.stringify(v ?? null))).size > 1;
    return h(
      "tr",
      { class: differs ? "cp-differs" : "cp-same", "data-param": name, "data-differs": differs ? "true" : "false" },
      h("th", { scope: "row" }, h("code", {}, name)),
      values.map((v) => h("td", {}, show(v))),
    );
  });
  const differing = rows.filter((r) => r.dataset.differs === "true").length;
  const table = h(
    "table",
    { class: "jp-table cp-table cp-config", "data-testid": "compare-config" },
    h("thead", {}, h("tr", {}, h("th", {}, "Parameter"), jobs.map(jobHead))),
    h("tbody", {}, rows),
  );
  const only = h("input", { type: "checkbox", "data-testid": "compare-diff-only" });
  only.addEventListener("change", () => table.classList.toggle("cp-only-diff", only.checked));
  return h(
    "section",
    { class: "card cp-params" },
    h(
      "div",
      { class: "jp-chart-head" },
      h("h3", {}, "Configuration and hyperparameters"),
      h("label", { class: "jp-check" }, only, "only differences"),
    ),
    h(
      "p",
      { class: "hint" },
      differing ? `${differing} of ${rows.length} rows differ (highlighted).` : "The configurations are the same.",
    ),
    h("div", { class: "jp-scroll" }, table),
  );
}
