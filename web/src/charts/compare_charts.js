// Charts that overlay several jobs, one colour per job (the same as in the compare tables):
// their ROC curves, and the learning curve of one chosen metric.
import { baseOptions, chartCard, drawChart, lineDataset, referenceLine, trapezoidArea, unitAxis } from "./chart_base.js";
import { num } from "../format.js";

// jobs: [{label, metrics, curves}]; binary jobs only (a multiclass job has one curve per class).
export function rocOverlayCard(jobs) {
  const binary = jobs.map((j, i) => ({ j, i })).filter(({ j }) => j.curves?.roc);
  if (!binary.length) return null;
  const skipped = jobs.length - binary.length;
  const { card, canvas } = chartCard("compare-roc", "ROC curves", {
    note: skipped
      ? `${skipped} job(s) without a binary ROC curve (multiclass or not classification) are left out.`
      : undefined,
  });
  const datasets = binary.map(({ j, i }) => {
    const roc = j.curves.roc;
    const auc = Number.isFinite(j.metrics?.auc_roc) ? j.metrics.auc_roc : trapezoidArea(roc.fpr, roc.tpr);
    return lineDataset(
      `${j.label} (AUC ${num(auc, 3)})`,
      roc.fpr.map((x, k) => ({ x, y: roc.tpr[k] })),
      i,
    );
  });
  datasets.push(referenceLine("chance", { x: 0, y: 0 }, { x: 1, y: 1 }));
  const draw = () =>
    drawChart(canvas, {
      type: "line",
      data: { datasets },
      options: baseOptions({ scales: { x: unitAxis("False positive rate"), y: unitAxis("True positive rate") } }),
    });
  return { card, draw };
}

// The overlaid learning curves of one metric; `tools` holds the metric picker.
export function learningOverlayCard(tools) {
  const { card, canvas } = chartCard("compare-learning", "Learning curves", { height: 320, tools });
  let chart = null;
  // series: [{label, index, points: [{step, value}]}]
  const draw = (metric, series) => {
    canvas.dataset.metric = metric;
    const datasets = series.map((s) =>
      lineDataset(
        s.label,
        s.points.map((p) => ({ x: p.step, y: p.value })),
        s.index,
        { pointRadius: s.points.length > 60 ? 0 : 2 },
      ),
    );
    chart = drawChart(
      canvas,
      {
        type: "line",
        data: { datasets },
        options: baseOptions({
          scales: {
            x: {
              type: "linear",
              title: { display: true, text: "Iteration" },
              ticks: { precision: 0, maxTicksLimit: 10 },
            },
            y: { type: "linear", title: { display: true, text: metric }, ticks: { maxTicksLimit: 6 } },
          },
        }),
      },
      chart,
    );
  };
  return { card, draw, destroy: () => chart && chart.destroy() };
}
