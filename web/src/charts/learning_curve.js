// The per-iteration metrics of a training run as lines over the iteration (boosting round,
// tree or epoch). Points come in batches (a progress event's `history`, or a run's MLflow
// metric history) and may overlap or arrive out of order: they are kept by iteration, so a
// backfill and the live stream merge into one clean curve. Live points usually extend a
// series at its end, which costs a push; anything else re-sorts that series once.
import { baseOptions, color, drawChart, fade } from "./chart_base.js";

// Metrics where higher is better live on a right-hand axis of their own when losses share
// the chart: their scales differ and both would otherwise be flattened.
const SCORE = /accuracy|auc|f1|precision|recall|r2|ndcg|map$/i;
// Logged beside the metrics but not a metric (a network's learning-rate schedule): hidden
// until its legend entry is clicked, as it would flatten the losses.
const SCHEDULE = /learning_rate|^lr$/i;

// "valid_logloss" → {split: "valid", base: "logloss"}
function splitKey(key) {
  const m = /^(train|training|valid|validation|test|eval)_(.+)$/.exec(key);
  return m ? { split: m[1], base: m[2] } : { split: "", base: key };
}

// One metric's points by iteration, with a sorted array of {x, y} for the chart.
class Series {
  constructor() {
    this.byIteration = new Map();
    this.points = [];
    this.sorted = true;
  }

  set(iteration, value) {
    const last = this.points[this.points.length - 1];
    if (!this.byIteration.has(iteration) && (!last || iteration > last.x)) {
      const point = { x: iteration, y: value };
      this.byIteration.set(iteration, point);
      this.points.push(point);
    } else if (this.byIteration.has(iteration)) {
      this.byIteration.get(iteration).y = value;
    } else {
      this.byIteration.set(iteration, { x: iteration, y: value });
      this.sorted = false;
    }
  }

  sortedPoints() {
    if (!this.sorted) {
      this.points = [...this.byIteration.values()].sort((a, b) => a.x - b.x);
      this.sorted = true;
    }
    return this.points;
  }
}

export class LearningCurve {
  constructor(canvas) {
    this.canvas = canvas;
    this.series = new Map(); // metric key → Series
    this.chart = null;
  }

  // history: [{iteration, metrics: {key: value}}]
  add(history) {
    for (const point of history || []) {
      if (!Number.isFinite(point.iteration)) continue;
      for (const [key, value] of Object.entries(point.metrics || {})) {
        if (!Number.isFinite(value)) continue;
        if (!this.series.has(key)) this.series.set(key, new Series());
        this.series.get(key).set(point.iteration, value);
      }
    }
    this.redraw();
  }

  // One metric's points: [{step, value}] as MLflow's get-history answers.
  addMetric(key, points) {
    this.add(points.map((p) => ({ iteration: p.step, metrics: { [key]: p.value } })));
  }

  // Points of the longest series: a curve needs two to be worth drawing (a linear model
  // logs its one fit as iteration 1).
  get longest() {
    let n = 0;
    for (const s of this.series.values()) n = Math.max(n, s.byIteration.size);
    return n;
  }

  get pointCount() {
    let n = 0;
    for (const s of this.series.values()) n += s.byIteration.size;
    return n;
  }

  redraw() {
    if (!this.pointCount) return;
    const keys = [...this.series.keys()].sort(compareKeys);
    const bases = [...new Set(keys.map((k) => splitKey(k).base))];
    const mixed = keys.some((k) => SCORE.test(k)) && keys.some((k) => !SCORE.test(k));
    const datasets = keys.map((key) => {
      const { split, base } = splitKey(key);
      const train = split.startsWith("train");
      const c = train ? fade(color(bases.indexOf(base)), 0.55) : color(bases.indexOf(base));
      return {
        label: key,
        // A copy: the decimation plugin swaps a dataset's data, the series keeps its own.
        data: this.series.get(key).sortedPoints().slice(),
        borderColor: c,
        backgroundColor: c,
        borderWidth: train ? 1.5 : 2,
        borderDash: train ? [6, 3] : [],
        pointRadius: 0,
        pointHoverRadius: 3,
        tension: 0,
        fill: false,
        yAxisID: mixed && SCORE.test(key) ? "y1" : "y",
        hidden: SCHEDULE.test(key),
      };
    });
    if (this.chart && sameShape(this.chart, datasets)) {
      this.chart.data.datasets.forEach((d, i) => (d.data = datasets[i].data));
      this.chart.update("none");
    } else {
      const scales = {
        x: { type: "linear", title: { display: true, text: "Iteration" }, ticks: { precision: 0, maxTicksLimit: 10 } },
        y: {
          type: "linear",
          title: { display: true, text: mixed ? "Loss / error" : "Value" },
          ticks: { maxTicksLimit: 6 },
        },
      };
      if (mixed)
        scales.y1 = {
          type: "linear",
          position: "right",
          title: { display: true, text: "Score" },
          grid: { drawOnChartArea: false },
        };
      const options = baseOptions({ parsing: false, scales });
      // Tens of thousands of rounds draw as fast as a few hundred: min-max decimation keeps
      // every pixel column's extremes, so no spike is lost.
      options.plugins.decimation = { enabled: true, algorithm: "min-max" };
      this.chart = drawChart(this.canvas, { type: "line", data: { datasets }, options }, this.chart);
    }
    // Points held, not pixels drawn after decimation.
    this.canvas.dataset.points = String(this.pointCount);
    this.canvas.dataset.datasets = String(datasets.length);
    this.canvas.dataset.drawn = "true";
  }

  destroy() {
    if (this.chart) this.chart.destroy();
    this.chart = null;
  }
}

// train_* before valid_* within a metric, metrics in name order.
function compareKeys(a, b) {
  const x = splitKey(a);
  const y = splitKey(b);
  return x.base === y.base ? x.split.localeCompare(y.split) : x.base.localeCompare(y.base);
}

function sameShape(chart, datasets) {
  const old = chart.data.datasets;
  return (
    old.length === datasets.length &&
    old.every((d, i) => d.label === datasets[i].label && d.yAxisID === datasets[i].yAxisID)
  );
}
