// A job's per-iteration metrics from its MLflow run (run_id = job id, API.md "MLflow
// Tracking REST API"): the run's latest metrics name the keys, and each key's history has
// one value per boosting round or epoch (step = iteration). Final metrics such as
// `accuracy` are logged once at step 0 and are not curves.
import { api } from "../api.js";

const MAX_PAGES = 50;

// The keys of the run's per-iteration metrics (those with a step above 0, or known to be
// per-iteration from a progress event's `metrics`).
export async function iterationKeys(jobId, { known = [], signal } = {}) {
  const answer = await api(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(jobId)}`, { signal });
  const metrics = answer?.run?.data?.metrics || [];
  const keys = new Set(known);
  for (const m of metrics) if (m.step > 0) keys.add(m.key);
  return [...keys].sort();
}

// [{step, value}] of one metric, every page of it.
export async function metricHistory(jobId, key, { signal } = {}) {
  const points = [];
  let token = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ run_id: jobId, metric_key: key });
    if (token) q.set("page_token", token);
    const answer = await api(`/api/2.0/mlflow/metrics/get-history?${q}`, { signal });
    for (const m of answer?.metrics || []) points.push({ step: m.step, value: m.value });
    token = answer?.next_page_token || "";
    if (!token) break;
  }
  return points;
}

// {key: [{step, value}]} for every per-iteration metric of the job.
export async function iterationHistory(jobId, options = {}) {
  const keys = await iterationKeys(jobId, options);
  const histories = await Promise.all(keys.map((k) => metricHistory(jobId, k, options)));
  return Object.fromEntries(keys.map((k, i) => [k, histories[i]]));
}
