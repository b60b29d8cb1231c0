// The tabular parts of a finished job's results: its metrics, the data it was trained on
// (`data_summary`) and where the time went (`timings`).
import { h } from "../dom.js";
import { duration, num } from "../format.js";
import { color } from "../charts/chart_base.js";

// Metrics that are not one number each are shown elsewhere (confusion matrix) or as a note.
const NOT_A_ROW = new Set(["confusion_matrix", "labels", "averaging"]);
const NAMES = {
  auc_roc: "ROC AUC",
  f1_score: "F1",
  log_loss: "Log loss",
  r2: "R²",
  rmse: "RMSE",
  mae: "MAE",
  mape: "MAPE",
  smape: "sMAPE",
  mase: "MASE",
  n_series: "Series",
  oob_score: "OOB score",
};

export function metricLabel(key) {
  if (NAMES[key]) return NAMES[key];
  const s = key.replaceAll("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// The scalar metrics of a job, in the order the server gave them.
export function scalarMetrics(metrics = {}) {
  return Object.entries(metrics || {}).filter(
    ([k, v]) => !NOT_A_ROW.has(k) && (typeof v === "number" || typeof v === "string"),
  );
}

export function metricsTable(job) {
  const rows = scalarMetrics(job.metrics).map(([k, v]) =>
    h(
      "tr",
      { "data-metric": k },
      h("th", { scope: "row", title: k }, metricLabel(k)),
      h("td", { class: "num" }, num(v)),
    ),
  );
  if (Number.isFinite(job.training_duration_seconds)) {
    rows.push(
      h(
        "tr",
        { class: "jp-aside" },
        h("th", { scope: "row" }, "Training time"),
        h("td", { class: "num" }, `${num(job.training_duration_seconds, 3)} s`),
      ),
    );
  }
  const averaging = job.metrics?.averaging;
  return h(
    "section",
    { class: "card jp-metrics" },
    h("h3", {}, "Test metrics"),
    averaging
      ? h(
          "p",
          { class: "hint" },
          averaging === "binary"
            ? `Precision, recall and F1 of the positive class (${job.curves?.positive_label ?? job.metrics?.labels?.[1] ?? "1"}).`
            : `Precision, recall and F1 are ${averaging} averages over the classes.`,
        )
      : null,
    h("table", { class: "jp-table", "data-testid": "metrics-table" }, h("tbody", {}, rows)),
  );
}

export function timingsBlock(timings) {
  const parts = Object.entries(timings || {}).filter(([, s]) => Number.isFinite(s));
  if (!parts.length) return null;
  const total = parts.reduce((n, [, s]) => n + s, 0) || 1;
  return h(
    "div",
    { class: "jp-timings", "data-testid": "job-timings" },
    h("h4", {}, "Time by phase"),
    h(
      "div",
      { class: "jp-stack" },
      parts.map(([p, s], i) =>
        h("span", { title: `${p}: ${num(s, 3)} s`, style: { width: `${(100 * s) / total}%`, background: color(i) } }),
      ),
    ),
    h(
      "ul",
      { class: "jp-legend" },
      parts.map(([p, s], i) =>
        h(
          "li",
          {},
          h("i", { style: { background: color(i) } }),
          `${p.replaceAll("_", " ")} `,
          h("b", {}, s < 60 ? `${num(s, 3)} s` : duration(s)),
        ),
      ),
    ),
  );
}

export function dataSummary(summary) {
  if (!summary) return null;
  const counts = ["total_samples", "train_samples", "test_samples", "dropped_rows"].filter(
    (k) => summary[k] !== undefined,
  );
  const other = Object.entries(summary).filter(
    ([k, v]) => !counts.includes(k) && !["columns", "class_balance"].includes(k) && typeof v !== "object",
  );
  const series = Array.isArray(summary.series) && summary.series.some((s) => s !== "") ? summary.series : null;
  return h(
    "section",
    { class: "card jp-data", "data-testid": "data-summary" },
    h("h3", {}, "Data"),
    h(
      "div",
      { class: "jp-counts" },
      [...counts, ...other.map(([k]) => k)].map((k) =>
        h(
          "div",
          { class: "jp-stat" },
          h("span", { class: "jp-stat-label" }, k.replaceAll("_", " ")),
          h("span", { class: "jp-stat-value" }, num(summary[k])),
        ),
      ),
    ),
    summary.class_balance ? classBalance(summary.class_balance) : null,
    series ? h("p", { class: "hint" }, `Series: ${series.join(", ")}`) : null,
    summary.columns ? columnsTable(summary.columns) : null,
  );
}

function classBalance(balance) {
  const entries = Object.entries(balance);
  const total = entries.reduce((n, [, c]) => n + c, 0) || 1;
  return h(
    "div",
    { class: "jp-balance" },
    h("span", { class: "jp-stat-label" }, "Class balance"),
    h(
      "div",
      { class: "jp-stack" },
      entries.map(([, c], i) => h("span", { style: { width: `${(100 * c) / total}%`, background: color(i) } })),
    ),
    h(
      "ul",
      { class: "jp-legend" },
      entries.map(([label, c], i) =>
        h(
          "li",
          {},
          h("i", { style: { background: color(i) } }),
          `${label} `,
          h("b", {}, `${num(c)} (${num((100 * c) / total, 1)}%)`),
        ),
      ),
    ),
  );
}

function columnsTable(columns) {
  const head = ["Column", "Type", "Missing", "Mean", "Std", "Min", "Max", "Distinct / top values"];
  return h(
    "table",
    { class: "jp-table jp-columns" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((c, i) => h("th", { class: i >= 2 && i <= 6 ? "num" : "" }, c)),
      ),
    ),
    h(
      "tbody",
      {},
      Object.entries(columns).map(([name, c]) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", {}, name)),
          h("td", {}, c.type || "–"),
          h("td", { class: "num" }, num(c.missing)),
          ...["mean", "std", "min", "max"].map((k) =>
            h("td", { class: "num" }, c[k] === undefined ? "" : num(c[k], 3)),
          ),
          h("td", { class: "jp-top" }, topValues(c)),
        ),
      ),
    ),
  );
}

function topValues(c) {
  if (!Array.isArray(c.top_values)) return c.distinct !== undefined ? num(c.distinct) : "";
  const shown = c.top_values
    .slice(0, 4)
    .map((t) => `${t.value} (${num(t.count)})`)
    .join(", ");
  return `${c.distinct !== undefined ? num(c.distinct) + ": " : ""}${shown}${c.top_values.length > 4 ? ", …" : ""}`;
}
