// One job (#/jobs/<job_id>). While it is queued or running the page follows its event
// stream (the first event is a snapshot; progress events carry every iteration's metrics
// since the previous one) and grows the learning curve live; the curve's earlier part,
// from before the page was opened, comes from the job's MLflow run. When the terminal
// status arrives, the full job record is fetched and its results drawn. A job opened after
// it ended is drawn from its record and its run's metric history at once.
import { api, openEvents } from "../api.js";
import { h, mount } from "../dom.js";
import { makeHeader, TERMINAL } from "./job_header.js";
import { iterationHistory } from "./job_history.js";
import { makeLivePanel } from "./job_live.js";
import { renderResults } from "./job_results.js";

const RECONNECT_MS = 2000;

export function render(root, { job_id: jobId }) {
  const path = `/api/v1/ml/train/${encodeURIComponent(jobId)}`;
  let disposed = false;
  let stream = null;
  let reconnectTimer = null;
  let finished = false;
  let clearResults = () => {};
  let header = null;
  let live = null;
  let job = null;
  const results = h("div", { class: "jp-results", "data-testid": "job-results" });

  mount(root, h("p", { class: "hint", "data-testid": "job-loading" }, "Loading job…"));
  api(path).then(start, (e) => {
    if (disposed) return;
    mount(
      root,
      h(
        "section",
        { class: "card jp-missing", "data-testid": "job-load-error" },
        h("h2", {}, e.status === 404 ? "No such job" : "The job could not be loaded"),
        h("p", {}, h("code", {}, jobId), " — ", e.message),
        h("a", { href: "#/jobs" }, "← All jobs"),
      ),
    );
  });

  function start(record) {
    if (disposed) return;
    job = record;
    document.title = `${job.name || jobId} · traind`;
    header = makeHeader(job, { onCancel: cancel });
    live = makeLivePanel();
    live.chartCard.hidden = true;
    mount(
      root,
      h(
        "div",
        { class: "jp-page" },
        h("nav", { class: "jp-crumbs" }, h("a", { href: "#/jobs" }, "Jobs"), " / ", h("span", {}, job.name || jobId)),
        header.el,
        live.el,
        live.chartCard,
        results,
        configBlock(job.config),
      ),
    );
    if (TERMINAL.includes(job.status)) finish(job);
    else follow();
  }

  async function cancel() {
    const answer = await api(path, { method: "DELETE" });
    header.update(answer);
    if (TERMINAL.includes(answer.status)) finish(answer);
  }

  function follow() {
    live.update(job.progress, job.status);
    let first = true;
    stream = openEvents(
      `${path}/events`,
      (event) => {
        if (disposed || finished) return;
        if (event.type === "status") {
          job = { ...job, ...event };
          header.update(event);
          // A status event without progress (e.g. "running" as the worker starts) keeps
          // the phase shown so far.
          if (event.progress || event.status === "queued") live.update(event.progress || {}, event.status);
          if (TERMINAL.includes(event.status)) {
            finish(event);
            return;
          }
          // The snapshot carries no history: what the run logged so far comes from MLflow.
          if (first && event.progress?.iteration > 0) backfill(Object.keys(event.progress.metrics || {}));
        } else if (event.type === "progress") {
          live.update(event, "running");
          const history =
            event.history ||
            (Number.isFinite(event.iteration) && event.metrics
              ? [{ iteration: event.iteration, metrics: event.metrics }]
              : []);
          if (history.length) addPoints(history);
        }
        first = false;
      },
      () => {
        stream = null;
        if (disposed || finished) return;
        // The stream ends after the terminal status; ended otherwise, ask where the job is.
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          api(path).then(
            (record) => {
              if (disposed || finished) return;
              job = record;
              header.update(record);
              if (TERMINAL.includes(record.status)) finish(record);
              else follow();
            },
            () => !disposed && !finished && follow(),
          );
        }, RECONNECT_MS);
      },
    );
  }

  // The card is shown before the chart is made, so Chart.js measures a visible box.
  function addPoints(history) {
    live.chartCard.hidden = false;
    live.curve.add(history);
    live.chartCard.hidden = live.curve.longest < 2;
  }

  async function backfill(known) {
    try {
      const byKey = await iterationHistory(jobId, { known });
      if (disposed) return;
      live.chartCard.hidden = false;
      for (const [key, points] of Object.entries(byKey)) live.curve.addMetric(key, points);
      live.chartCard.hidden = live.curve.longest < 2;
    } catch {
      // The live curve still grows from the events; only its start is missing.
    }
  }

  async function finish(event) {
    if (finished) return;
    finished = true;
    if (stream) stream.close();
    stream = null;
    let record = event;
    try {
      record = await api(path);
    } catch {
      // Draw what the status event carried.
    }
    if (disposed) return;
    job = record;
    header.update(record);
    live.el.remove();
    clearResults = renderResults(results, record, { curveCard: live.chartCard });
    if (record.task_type !== "forecasting") await backfill([]);
  }

  return () => {
    disposed = true;
    document.title = "traind";
    if (stream) stream.close();
    if (reconnectTimer) clearTimeout(reconnectTimer);
    clearResults();
    live?.curve.destroy();
  };
}

function configBlock(config) {
  if (!config) return null;
  return h(
    "details",
    { class: "card jp-config", "data-testid": "job-config" },
    h(
      "summary",
      {},
      h("h3", {}, "Configuration"),
      h("span", { class: "hint" }, "the resolved configuration, every default filled in"),
    ),
    h("pre", { class: "jp-json" }, JSON.stringify(config, null, 2)),
  );
}
