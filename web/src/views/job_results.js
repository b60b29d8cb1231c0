// A finished job's results, laid out by what the job was: metrics and the model first,
// then the charts its task has (classification: confusion matrix, ROC, precision-recall,
// calibration; regression: predicted vs actual, residuals; forecasting: the forecast),
// feature importance, the data it saw, and its Training BOM. A failed or cancelled job
// shows why it ended and what its BOM knew.
import { api } from "../api.js";
import { h } from "../dom.js";
import { bytes, num } from "../format.js";
import { calibrationCard, prCard, rocCard } from "../charts/classification_charts.js";
import { forecastCard } from "../charts/forecast_chart.js";
import { importanceCard } from "../charts/importance_chart.js";
import { predictedActualCard, residualsCard } from "../charts/regression_charts.js";
import { bomPanel, downloadButton, logPanel } from "./job_artifacts.js";
import { confusionMatrix } from "./job_confusion.js";
import { dataSummary, metricsTable, timingsBlock } from "./job_tables.js";
import { thresholdCard } from "./job_threshold.js";

// Fills `root` with the results of `job` (a full job record). `curveCard`, the learning
// curve the page already draws, takes its place among the charts. Returns a cleanup that
// destroys the charts drawn here.
export function renderResults(root, job, { curveCard } = {}) {
  const charts = [];
  const later = []; // chart drawers, run once their cards are in the document
  const add = (c) => {
    if (!c) return null;
    later.push(c);
    return c.card;
  };

  if (job.status === "failed" || job.status === "cancelled") {
    root.append(endedBlock(job), curveCard || "", logPanel(job.job_id), bomPanel(job.job_id));
    return () => {};
  }
  if (job.status !== "completed") return () => {};

  const task = job.task_type;
  const top = h("div", { class: "jp-grid jp-grid-top" }, metricsTable(job), modelBlock(job));
  root.append(top);

  const grid = h("div", { class: "jp-grid" });
  let threshold = null;
  let roc = null;
  const series = [{ label: job.name, importance: job.feature_importance }];
  const importance = importanceCard("feature-importance", "Feature importance", series, {
    type: job.feature_importance_type,
  });
  if (task === "classification") {
    const cm = confusionMatrix(job.metrics);
    if (cm || importance) root.append(h("div", { class: "jp-grid jp-grid-cm" }, cm, add(importance)));
    if (job.curves) {
      roc = rocCard(job);
      threshold = thresholdCard(job);
      grid.append(add(roc), threshold?.card || "", add(prCard(job)), add(calibrationCard(job)));
    } else grid.append(h("p", { class: "card hint" }, "No test curves: the test part holds only one class."));
  } else if (task === "regression") {
    if (job.curves?.predicted_vs_actual) grid.append(add(predictedActualCard(job)), add(residualsCard(job)));
  } else if (task === "forecasting") {
    const fc = forecastCard(job);
    const missing = "This job's result holds no forecast points.";
    root.append(fc ? add(fc) : h("p", { class: "card hint", "data-testid": "forecast-missing" }, missing));
    const fitted = fittedModel(job.model);
    if (fitted) root.append(fitted);
  }
  if (task !== "classification" && importance) grid.append(add(importance));
  // The learning curve spans the page: boosting runs have thousands of rounds.
  if (curveCard) root.append(curveCard);
  if (grid.children.length) root.append(grid);
  root.append(dataSummary(job.data_summary) || "", bomPanel(job.job_id), logPanel(job.job_id));

  // Cards that redraw themselves (the forecast's series picker) destroy their own chart.
  for (const c of later) {
    const chart = c.draw();
    if (!c.destroy) charts.push(chart);
    if (c === roc && threshold) threshold.attach(chart);
  }
  return () => {
    for (const c of later) if (c.destroy) c.destroy();
    for (const c of charts) c.destroy();
  };
}

function endedBlock(job) {
  const err = job.error;
  const p = job.progress || {};
  const where = p.phase
    ? `in phase ${p.phase.replaceAll("_", " ")}` +
      (Number.isFinite(p.iteration)
        ? `, iteration ${num(p.iteration)}${Number.isFinite(p.total_iterations) ? " of " + num(p.total_iterations) : ""}`
        : "")
    : "";
  return h(
    "section",
    { class: `card jp-ended jp-ended-${job.status}`, "data-testid": "job-error" },
    h("h3", {}, job.status === "failed" ? "Job failed" : "Job cancelled"),
    err
      ? h(
          "p",
          {},
          h("code", { class: "jp-error-code", "data-testid": "job-error-code" }, err.code),
          " ",
          h("span", { "data-testid": "job-error-message" }, err.message),
        )
      : null,
    !err && job.status === "cancelled"
      ? h("p", {}, "The job was cancelled before it finished; no model was saved.")
      : null,
    where ? h("p", { class: "hint" }, `It stopped ${where}.`) : null,
  );
}

function modelBlock(job) {
  const id = job.model_artifact_id;
  const facts = h(
    "dl",
    { class: "jp-facts jp-facts-col" },
    h("dt", {}, "Artifact"),
    h("dd", {}, id ? h("code", {}, id) : "–"),
  );
  if (id) {
    api(`/api/v1/ml/models/${encodeURIComponent(id)}`).then(
      (m) => {
        const rows = [
          ["Format", m.format],
          ["File", m.file_name],
          ["Size", bytes(m.size_bytes)],
          ["SHA-256", m.sha256 ? h("code", { title: m.sha256 }, m.sha256.slice(0, 16) + "…") : "–"],
          ["Features", (m.feature_schema || []).map((f) => f.name).join(", ") || "–"],
        ];
        for (const [k, v] of rows) facts.append(h("dt", {}, k), h("dd", {}, v ?? "–"));
      },
      () => {},
    );
  }
  const cfg = job.config || {};
  return h(
    "section",
    { class: "card jp-model" },
    h("h3", {}, "Model"),
    facts,
    id ? downloadButton(job) : null,
    timingsBlock(job.timings),
    cfg.hyperparameters ? hyperparameters(cfg.hyperparameters) : null,
  );
}

function hyperparameters(hp) {
  return h(
    "details",
    { class: "jp-hp" },
    h("summary", {}, `Hyperparameters (${Object.keys(hp).length})`),
    h(
      "table",
      { class: "jp-table", "data-testid": "job-hyperparameters" },
      h(
        "tbody",
        {},
        Object.entries(hp).map(([k, v]) =>
          h(
            "tr",
            {},
            h("th", {}, h("code", {}, k)),
            h("td", { class: "num" }, v === null ? "null" : typeof v === "object" ? JSON.stringify(v) : num(v)),
          ),
        ),
      ),
    ),
  );
}

// A forecasting job's fitted parameters per series: the numbers and short lists only
// (orders, information criteria, growth…), not the coefficient vectors.
function fittedModel(model) {
  const series = model?.series;
  if (!Array.isArray(series) || !series.length) return null;
  const short = (v) =>
    v === null ||
    ["number", "string", "boolean"].includes(typeof v) ||
    (Array.isArray(v) && v.length <= 6 && v.every((x) => typeof x !== "object"));
  const fields = [...new Set(series.flatMap((s) => Object.keys(s).filter((k) => k !== "series" && short(s[k]))))];
  const show = (v) => (Array.isArray(v) ? `[${v.join(", ")}]` : typeof v === "number" ? num(v) : String(v));
  return h(
    "section",
    { class: "card jp-fitted", "data-testid": "fitted-model" },
    h("h3", {}, `Fitted model${model.algorithm ? " — " + model.algorithm : ""}`),
    h(
      "div",
      { class: "jp-scroll" },
      h(
        "table",
        { class: "jp-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Series"),
            fields.map((f) => h("th", { class: series.some((s) => typeof s[f] === "number") ? "num" : "" }, f)),
          ),
        ),
        h(
          "tbody",
          {},
          series.map((s) =>
            h(
              "tr",
              {},
              h("td", {}, s.series === "" ? "–" : String(s.series)),
              fields.map((f) =>
                h("td", { class: typeof s[f] === "number" ? "num" : "" }, s[f] === undefined ? "" : show(s[f])),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
