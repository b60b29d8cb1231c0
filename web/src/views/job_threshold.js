// What a binary classifier does at another decision threshold: a slider over the ROC
// curve's thresholds, with the confusion counts, precision, recall, F1 and accuracy there,
// and the point marked on the ROC chart. Everything follows from one ROC point and the
// test part's class sizes: TP = tpr·P, FP = fpr·N.
import { h } from "../dom.js";
import { num } from "../format.js";

const MARKER_COLOR = "#111827";

// Returns {card, attach(rocChart)} or null when the job is not a binary classifier.
export function thresholdCard(job) {
  const roc = job.curves?.roc;
  const m = job.metrics?.confusion_matrix;
  const labels = job.metrics?.labels;
  if (!roc || !Array.isArray(m) || m.length !== 2 || !Array.isArray(labels)) return null;
  const pos = Math.max(0, labels.indexOf(String(job.curves.positive_label ?? labels[1])));
  const P = m[pos][0] + m[pos][1];
  const N = m[1 - pos][0] + m[1 - pos][1];
  // ROC points with a threshold (the first is the "nothing is positive" corner), highest first.
  const points = roc.thresholds
    .map((t, i) => ({ t, fpr: roc.fpr[i], tpr: roc.tpr[i] }))
    .filter((p) => Number.isFinite(p.t));
  if (!points.length || !P || !N) return null;
  const start = points.reduce((best, p, i) => (Math.abs(p.t - 0.5) < Math.abs(points[best].t - 0.5) ? i : best), 0);

  const slider = h("input", {
    type: "range",
    min: "0",
    max: String(points.length - 1),
    step: "1",
    value: String(start),
    "data-testid": "threshold-slider",
    "aria-label": "Decision threshold",
  });
  const readout = h("div", { class: "jp-threshold-stats", "data-testid": "threshold-stats" });
  const card = h(
    "section",
    { class: "card jp-threshold", "data-testid": "threshold" },
    h("h3", {}, "Decision threshold"),
    h("p", { class: "hint" }, `Positive class ${labels[pos]}: ${num(P)} test rows, ${num(N)} negative.`),
    h(
      "div",
      { class: "jp-threshold-row" },
      h("span", { class: "hint" }, "strict"),
      slider,
      h("span", { class: "hint" }, "lenient"),
    ),
    readout,
  );
  let chart = null;

  function show() {
    // The slider runs from the highest threshold (few positives) to the lowest.
    const p = points[Number(slider.value)];
    const tp = p.tpr * P;
    const fp = p.fpr * N;
    const precision = tp + fp > 0 ? tp / (tp + fp) : null;
    const f1 = precision !== null && tp > 0 ? (2 * precision * p.tpr) / (precision + p.tpr) : null;
    const stat = (label, value) =>
      h(
        "div",
        { class: "jp-stat" },
        h("span", { class: "jp-stat-label" }, label),
        h("span", { class: "jp-stat-value" }, value),
      );
    readout.replaceChildren(
      stat("Threshold", num(p.t, 3)),
      stat("Precision", precision === null ? "–" : num(precision, 3)),
      stat("Recall (TPR)", num(p.tpr, 3)),
      stat("FPR", num(p.fpr, 3)),
      stat("F1", f1 === null ? "–" : num(f1, 3)),
      stat("Accuracy", num((tp + N - fp) / (P + N), 3)),
      stat("TP / FP", `${num(Math.round(tp))} / ${num(Math.round(fp))}`),
      stat("FN / TN", `${num(Math.round(P - tp))} / ${num(Math.round(N - fp))}`),
    );
    readout.dataset.threshold = String(p.t);
    if (chart) {
      chart.data.datasets.at(-1).data = [{ x: p.fpr, y: p.tpr }];
      chart.update("none");
    }
  }
  slider.addEventListener("input", show);
  show();

  return {
    card,
    // Adds the marker to the ROC chart, as a reference dataset (not counted as data).
    attach(rocChart) {
      chart = rocChart;
      chart.data.datasets.push({
        label: "threshold",
        data: [],
        reference: true,
        type: "scatter",
        pointRadius: 6,
        pointHoverRadius: 7,
        backgroundColor: "#fff",
        borderColor: MARKER_COLOR,
        borderWidth: 2,
      });
      show();
    },
  };
}
