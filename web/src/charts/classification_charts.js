// The test-part curves of a classification job (API.md "Status", `curves`): ROC with its
// AUC and the chance diagonal, precision-recall with the positive rate as baseline, and
// calibration against the perfectly calibrated diagonal. Two classes draw the positive
// class's curve; more classes draw one line per class against the rest (`per_class`).
import { baseOptions, chartCard, drawChart, lineDataset, referenceLine, trapezoidArea, unitAxis } from "./chart_base.js";
import { num } from "../format.js";

// [{label, roc, precision_recall, calibration}] from a job's `curves`.
export function curveSets(curves) {
  if (!curves) return [];
  if (curves.per_class) return Object.entries(curves.per_class).map(([label, c]) => ({ label, ...c }));
  if (curves.roc) return [{ label: `class ${curves.positive_label ?? "1"}`, ...curves }];
  return [];
}

// Points {x, y} with what a tooltip adds: the threshold (t) or the bin's row count (n).
function xy(xs, ys, { t, n } = {}) {
  return xs.map((x, i) => ({ x, y: ys[i], t: t?.[i], n: n?.[i] })).filter((p) => p.x !== null && p.y !== null);
}

function curveOptions(xTitle, yTitle) {
  const options = baseOptions({ scales: { x: unitAxis(xTitle), y: unitAxis(yTitle) } });
  options.plugins.tooltip.callbacks = {
    title: () => "",
    label: (ctx) => {
      const p = ctx.raw;
      let text = `${ctx.dataset.label}: ${num(p.x, 3)}, ${num(p.y, 3)}`;
      if (p.t !== undefined && p.t !== null) text += ` · threshold ${num(p.t, 3)}`;
      if (p.n !== undefined && p.n !== null) text += ` · ${num(p.n)} rows`;
      return text;
    },
  };
  return options;
}

// The share of positives in the test part, from the calibration bins' counts.
function positiveRate(calibration) {
  if (!calibration?.count) return null;
  let rows = 0;
  let positives = 0;
  calibration.count.forEach((c, i) => {
    rows += c;
    positives += c * (calibration.fraction_positive[i] ?? 0);
  });
  return rows ? positives / rows : null;
}


export function rocCard(job) {
  const sets = curveSets(job.curves).filter((s) => s.roc);
  const auc = job.metrics?.auc_roc;
  const aucText = Number.isFinite(auc) ? ` — ${sets.length > 1 ? "macro " : ""}AUC ${num(auc, 3)}` : "";
  const { card, canvas } = chartCard("roc", `ROC curve${aucText}`);
  const datasets = sets.map((s, i) => {
    // A class's own AUC comes from its (thinned) curve; the binary one is the job's metric.
    const area = sets.length === 1 && Number.isFinite(auc) ? auc : trapezoidArea(s.roc.fpr, s.roc.tpr);
    return lineDataset(`${s.label} (AUC ${num(area, 3)})`, xy(s.roc.fpr, s.roc.tpr, { t: s.roc.thresholds }), i);
  });
  datasets.push(referenceLine("chance", { x: 0, y: 0 }, { x: 1, y: 1 }));
  const draw = () =>
    drawChart(canvas, {
      type: "line",
      data: { datasets },
      options: curveOptions("False positive rate", "True positive rate"),
    });
  return { card, draw };
}

export function prCard(job) {
  const sets = curveSets(job.curves).filter((s) => s.precision_recall);
  const { card, canvas } = chartCard("pr", "Precision–recall");
  const datasets = sets.map((s, i) => {
    const pr = s.precision_recall;
    const ap = averagePrecision(pr.recall, pr.precision);
    return lineDataset(`${s.label} (AP ${num(ap, 3)})`, xy(pr.recall, pr.precision, { t: pr.thresholds }), i);
  });
  // A classifier that guesses draws a flat line at the positive rate (two classes only:
  // with more, each class has its own).
  const rate = sets.length === 1 ? positiveRate(sets[0].calibration) : null;
  if (rate !== null) datasets.push(referenceLine(`chance (${num(rate, 3)})`, { x: 0, y: rate }, { x: 1, y: rate }));
  const draw = () =>
    drawChart(canvas, {
      type: "line",
      data: { datasets },
      options: curveOptions("Recall", "Precision"),
    });
  return { card, draw };
}

// Average precision as scikit-learn defines it: Σ (R_n − R_{n−1}) P_n over the curve
// (here the thinned one, so an approximation when the curve had more than 200 points).
function averagePrecision(recall, precision) {
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += Math.abs(recall[i] - recall[i - 1]) * precision[i];
  return ap;
}

export function calibrationCard(job) {
  const sets = curveSets(job.curves).filter((s) => s.calibration);
  const { card, canvas } = chartCard("calibration", "Calibration", {
    note: "Fraction of positives per bin of predicted probability (10 uniform bins); the diagonal is perfect calibration.",
  });
  const datasets = sets.map((s, i) => {
    const c = s.calibration;
    return lineDataset(s.label, xy(c.mean_predicted, c.fraction_positive, { n: c.count }), i, {
      pointRadius: 3,
      pointHoverRadius: 5,
    });
  });
  datasets.push(referenceLine("perfectly calibrated", { x: 0, y: 0 }, { x: 1, y: 1 }));
  const draw = () =>
    drawChart(canvas, {
      type: "line",
      data: { datasets },
      options: curveOptions("Mean predicted probability", "Fraction of positives"),
    });
  return { card, draw };
}
