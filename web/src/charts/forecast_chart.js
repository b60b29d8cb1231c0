// A forecasting job's result (`forecast`: per series the history with its in-sample fit,
// the hold-out forecast made by a model fitted before it, and the horizon forecast), drawn
// as the actual series followed by the forecast and its interval band. The hold-out part
// shows how the model did on data it had not seen; the horizon is the forecast proper.
import { h } from "../dom.js";
import { baseOptions, chartCard, color, drawChart, fade } from "./chart_base.js";

const ACTUAL = "#374151";
const HOLDOUT = color(1);
const HORIZON = color(0);
const RECENT = 180; // history points shown unless the whole history is asked for

export function forecastCard(job) {
  const series = Array.isArray(job.forecast) ? job.forecast : [];
  if (!series.length) return null;
  const cfg = job.config || {};
  const width = cfg.forecast?.interval_width;
  const title =
    `Forecast of ${cfg.target_column || "the target"}` +
    (Number.isFinite(width) ? ` with ${Math.round(width * 100)}% interval` : "");
  const picker = h(
    "select",
    { "data-testid": "forecast-series", "aria-label": "Series", hidden: series.length < 2 },
    series.map((s, i) => h("option", { value: String(i) }, s.series === "" ? "(single series)" : String(s.series))),
  );
  const full = h("input", { type: "checkbox", "data-testid": "forecast-full-history" });
  const tools = h("div", { class: "jp-chart-tools" }, picker, h("label", { class: "jp-check" }, full, "full history"));
  const { card, canvas } = chartCard("forecast", title, { height: 380, tools });
  let chart = null;
  const draw = () => {
    chart = drawChart(canvas, config(series[Number(picker.value) || 0], full.checked), chart);
    return chart;
  };
  picker.addEventListener("change", draw);
  full.addEventListener("change", draw);
  // The chart is replaced on every redraw, so the page destroys whichever is current.
  return { card, draw, destroy: () => chart && chart.destroy() };
}

function config(s, fullHistory) {
  const history = s.history || { ds: [] };
  const holdout = s.holdout || { ds: [] };
  const horizon = s.horizon || { ds: [] };
  const start = fullHistory
    ? 0
    : Math.max(0, history.ds.length - Math.max(RECENT, 3 * horizon.ds.length + holdout.ds.length));
  const labels = [...new Set([...history.ds.slice(start), ...holdout.ds, ...horizon.ds])];
  const at = new Map(labels.map((d, i) => [d, i]));
  const place = (part, field) => {
    const out = new Array(labels.length).fill(null);
    (part.ds || []).forEach((d, i) => {
      const v = part[field]?.[i];
      if (at.has(d) && Number.isFinite(v)) out[at.get(d)] = v;
    });
    return out;
  };
  const lineOf = (label, data, c, extra = {}) => ({
    label,
    data,
    borderColor: c,
    backgroundColor: c,
    borderWidth: 2,
    pointRadius: 0,
    tension: 0,
    fill: false,
    spanGaps: false,
    ...extra,
  });
  const bound = (label, data, c, fill) => ({
    ...lineOf(label, data, c),
    bound: true,
    reference: true,
    borderWidth: 0,
    backgroundColor: fade(c, 0.18),
    fill,
  });
  const datasets = [
    lineOf("actual", place(history, "y"), ACTUAL, { borderWidth: 1.5 }),
    lineOf("in-sample fit", place(history, "yhat"), color(4), { borderWidth: 1, hidden: true, reference: true }),
    bound("hold-out lower", place(holdout, "yhat_lower"), HOLDOUT, false),
    bound("hold-out upper", place(holdout, "yhat_upper"), HOLDOUT, "-1"),
    lineOf("hold-out forecast", place(holdout, "yhat"), HOLDOUT, { borderDash: [6, 3] }),
    bound("forecast lower", place(horizon, "yhat_lower"), HORIZON, false),
    bound("forecast upper", place(horizon, "yhat_upper"), HORIZON, "-1"),
    lineOf("forecast", place(horizon, "yhat"), HORIZON),
  ];
  return {
    type: "line",
    data: { labels, datasets },
    options: baseOptions({
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: {
          position: "bottom",
          labels: { boxWidth: 14, boxHeight: 2, filter: (item, data) => !data.datasets[item.datasetIndex].bound },
        },
        tooltip: { mode: "index", intersect: false, filter: (item) => item.raw !== null },
      },
      scales: {
        x: { type: "category", ticks: { maxTicksLimit: 12, maxRotation: 0 } },
        y: { type: "linear", ticks: { maxTicksLimit: 8 } },
      },
    }),
  };
}
