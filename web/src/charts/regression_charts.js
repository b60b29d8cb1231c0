// A regression job's test rows (`curves.predicted_vs_actual`, up to 500 rows): predicted
// against actual with the y = x line of a perfect model, and residuals (actual − predicted)
// against predicted with the zero line, where structure left in the errors shows.
import { baseOptions, chartCard, color, drawChart, fade, referenceLine } from "./chart_base.js";

function pairs(job) {
  const pva = job.curves?.predicted_vs_actual;
  if (!pva) return [];
  return pva.actual
    .map((a, i) => ({ actual: a, predicted: pva.predicted[i] }))
    .filter((p) => Number.isFinite(p.actual) && Number.isFinite(p.predicted));
}

function scatter(label, data) {
  return {
    type: "scatter",
    label,
    data,
    backgroundColor: fade(color(0), 0.45),
    borderColor: color(0),
    pointRadius: 2.5,
    pointHoverRadius: 4,
  };
}

// Points with a dashed reference line from `from` to `to`, on linear axes.
function drawScatterWithLine(canvas, { label, points, line, from, to, xTitle, yTitle }) {
  return drawChart(canvas, {
    type: "scatter",
    data: {
      datasets: [scatter(label, points), { ...referenceLine(line, from, to), type: "line" }],
    },
    options: baseOptions({
      interaction: { mode: "nearest", intersect: true },
      plugins: { legend: { display: false }, tooltip: { mode: "nearest", intersect: true } },
      scales: {
        x: { type: "linear", title: { display: true, text: xTitle } },
        y: { type: "linear", title: { display: true, text: yTitle } },
      },
    }),
  });
}

export function predictedActualCard(job) {
  const rows = pairs(job);
  const { card, canvas } = chartCard("predicted-actual", "Predicted vs actual", {
    height: 340,
    note: `${rows.length} test rows; the dashed line is a perfect prediction (y = x).`,
  });
  const values = rows.flatMap((r) => [r.actual, r.predicted]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const draw = () =>
    drawScatterWithLine(canvas, {
      label: "test rows",
      points: rows.map((r) => ({ x: r.actual, y: r.predicted })),
      line: "y = x",
      from: { x: lo, y: lo },
      to: { x: hi, y: hi },
      xTitle: "Actual",
      yTitle: "Predicted",
    });
  return { card, draw };
}

export function residualsCard(job) {
  const rows = pairs(job);
  const { card, canvas } = chartCard("residuals", "Residuals", {
    height: 340,
    note: "Actual − predicted against the prediction; a good model scatters evenly around zero.",
  });
  const xs = rows.map((r) => r.predicted);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const draw = () =>
    drawScatterWithLine(canvas, {
      label: "residual",
      points: rows.map((r) => ({ x: r.predicted, y: r.actual - r.predicted })),
      line: "zero",
      from: { x: lo, y: 0 },
      to: { x: hi, y: 0 },
      xTitle: "Predicted",
      yTitle: "Residual (actual − predicted)",
    });
  return { card, draw };
}
