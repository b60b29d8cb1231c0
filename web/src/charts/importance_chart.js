// Feature importance as horizontal bars, largest first (the top `limit`). Several jobs give
// grouped bars over the union of their features, ranked by the largest value any job gives.
import { baseOptions, chartCard, color, drawChart } from "./chart_base.js";

const TYPE_NAMES = {
  total_gain: "total gain",
  gain: "gain",
  abs_coefficient: "|coefficient|",
  permutation: "permutation",
  impurity: "impurity decrease",
  split: "split count",
};

// series: [{label, importance: {feature: value}}]; returns {card, draw} or null when empty.
export function importanceCard(name, title, series, { limit = 20, type } = {}) {
  const features = rankFeatures(series, limit);
  if (!features.length) return null;
  const typeName = type ? TYPE_NAMES[type] || type.replaceAll("_", " ") : "";
  const { card, canvas } = chartCard(name, title + (typeName ? ` (${typeName})` : ""), {
    height: Math.max(160, 40 + features.length * (series.length > 1 ? 12 * series.length + 8 : 22)),
  });
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: features.map((f) => s.importance?.[f] ?? null),
    backgroundColor: color(i),
    borderRadius: 2,
    maxBarThickness: 18,
  }));
  const draw = () =>
    drawChart(canvas, {
      type: "bar",
      data: { labels: features, datasets },
      options: baseOptions({
        indexAxis: "y",
        interaction: { mode: "index", intersect: false, axis: "y" },
        plugins: {
          legend: { display: series.length > 1, position: "bottom", labels: { boxWidth: 14 } },
          tooltip: { mode: "index", intersect: false, axis: "y" },
        },
        scales: { x: { beginAtZero: true, ticks: { maxTicksLimit: 6 } }, y: { ticks: { autoSkip: false } } },
      }),
    });
  return { card, draw };
}

function rankFeatures(series, limit) {
  const best = new Map();
  for (const s of series) {
    for (const [f, v] of Object.entries(s.importance || {})) {
      if (Number.isFinite(v)) best.set(f, Math.max(best.get(f) ?? -Infinity, v));
    }
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([f]) => f);
}
