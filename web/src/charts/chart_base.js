// What every chart of the job and compare pages shares: a titled card holding a sized
// canvas, one colour palette, and the markers tests read (data-drawn, data-points,
// data-datasets) once Chart.js has drawn data on the canvas.
import { Chart } from "chart.js/auto";
import { h } from "../dom.js";

// Tableau 10: distinguishable, and readable by most colour-blind people.
export const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];
export const REFERENCE_COLOR = "#9aa1ad";

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

// "#4e79a7" → "rgba(78,121,167,alpha)"
export function fade(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

// A card with a heading, an optional note and a canvas inside a box of fixed height
// (Chart.js sizes itself to its container). `name` gives the canvas data-testid chart-<name>.
export function chartCard(name, title, { height = 300, note, tools } = {}) {
  const canvas = h("canvas", {
    "data-testid": `chart-${name}`,
    "data-drawn": "false",
    role: "img",
    "aria-label": title,
  });
  const heading = h("h3", { class: "jp-chart-title" }, title);
  const card = h(
    "section",
    { class: "card jp-chart-card", "data-chart": name },
    h("div", { class: "jp-chart-head" }, heading, tools || null),
    note ? h("p", { class: "hint" }, note) : null,
    h("div", { class: "jp-chart-box", style: { height: `${height}px` } }, canvas),
  );
  return { card, canvas, heading };
}

// Options every chart starts from: no animation (screenshots and tests see the final
// picture at once), sized by its box, compact legend.
export function baseOptions(extra = {}) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    interaction: { mode: "nearest", intersect: false },
    plugins: {
      legend: { position: "bottom", labels: { boxWidth: 14, boxHeight: 2, usePointStyle: false } },
      tooltip: { mode: "nearest", intersect: false },
    },
    ...extra,
  };
}

// Draws (or redraws) `config` on `canvas`; `previous` is a Chart to replace. Marks the canvas
// with the number of data points drawn, counting datasets not flagged `reference`.
export function drawChart(canvas, config, previous = null) {
  if (previous) previous.destroy();
  const chart = new Chart(canvas, config);
  markDrawn(chart);
  return chart;
}

export function markDrawn(chart) {
  const data = chart.data.datasets.filter((d) => !d.reference);
  const points = data.reduce((n, d) => n + d.data.filter((p) => p !== null && p !== undefined).length, 0);
  const canvas = chart.canvas;
  canvas.dataset.points = String(points);
  canvas.dataset.datasets = String(data.length);
  canvas.dataset.drawn = points > 0 ? "true" : "false";
}

// A curve: series i's colour, no points drawn, straight segments.
export function lineDataset(label, data, i, extra = {}) {
  return {
    label,
    data,
    borderColor: color(i),
    backgroundColor: color(i),
    borderWidth: 2,
    pointRadius: 0,
    tension: 0,
    fill: false,
    ...extra,
  };
}

// A y=x (or any two-point) reference line that is not counted as data.
export function referenceLine(label, from, to) {
  return {
    label,
    data: [from, to],
    reference: true,
    borderColor: REFERENCE_COLOR,
    borderDash: [5, 4],
    borderWidth: 1,
    pointRadius: 0,
    fill: false,
    tension: 0,
  };
}

// Area under a curve given as x and y arrays (trapezoids, x ascending or not).
export function trapezoidArea(xs, ys) {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return Math.abs(area);
}

export function unitAxis(title) {
  return { type: "linear", min: 0, max: 1, title: { display: true, text: title }, ticks: { maxTicksLimit: 6 } };
}
