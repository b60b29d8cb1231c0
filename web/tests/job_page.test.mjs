// The job page in a real browser against a real traind: a running job's progress and
// learning curve growing live and its Cancel button; a finished classification job's
// results (metrics, confusion matrix, ROC, precision-recall, calibration, feature
// importance, learning curve, data summary, BOM, model download); a regression job's
// predicted-vs-actual and residuals; a forecasting job's forecast; a failed job's error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { SEED_CONFIG, closeClean, openPage, poll, screenshot, signIn, startBoth, stopBoth } from "./harness.mjs";

let server;
let browser;

before(async () => ({ server, browser } = await startBoth()));
after(() => stopBoth(server, browser));



async function openJob(page, id) {
  await signIn(page, server);
  await page.goto(`${server.url}/#/jobs/${id}`);
  await page.getByTestId("job-status").waitFor();
}

function statusIs(page, status) {
  return page.locator(`[data-testid="job-status"][data-status="${status}"]`).waitFor({ timeout: 120000 });
}

// Waits until the chart's canvas says it was drawn; returns its number of points.
async function drawnPoints(page, name) {
  const canvas = page.locator(`canvas[data-testid="chart-${name}"][data-drawn="true"]`);
  await canvas.waitFor({ timeout: 30000 });
  assert.ok(await canvas.isVisible(), `chart-${name} is visible`);
  return Number(await canvas.getAttribute("data-points"));
}

async function attr(page, testid, name) {
  return page.getByTestId(testid).getAttribute(name);
}

// Far longer than the test needs (a few seconds of its 20,000 rounds are watched), so it
// is surely still running when it is cancelled, however fast the machine.
const LONG_CONFIG = {
  ...SEED_CONFIG,
  name: "watch-me",
  hyperparameters: { n_estimators: 20000, max_depth: 6, learning_rate: 0.01 },
};

test("a running job's progress and learning curve grow live, and Cancel stops it", async () => {
  const id = await server.submit(LONG_CONFIG);
  const page = await openPage(browser, server);
  await openJob(page, id);
  await statusIs(page, "running");
  // Two observations of the live view, without reloading: the iteration and the curve grow.
  const first = await poll(async () => Number(await attr(page, "job-iteration", "data-iteration")) || null, {
    what: "a first iteration",
  });
  const firstPoints = await drawnPoints(page, "learning-curve");
  const later = await poll(
    async () => {
      const n = Number(await attr(page, "job-iteration", "data-iteration"));
      return n > first ? n : null;
    },
    { what: "the iteration to advance" },
  );
  assert.ok(later > first);
  await poll(async () => Number(await attr(page, "chart-learning-curve", "data-points")) > firstPoints, {
    what: "the learning curve to grow",
  });
  assert.match(await page.getByTestId("job-iteration").textContent(), /\/ 20,000$/);
  assert.equal(await page.getByTestId("job-phase").textContent(), "training");
  const percent = await poll(async () => Number(await attr(page, "job-progress", "data-percent")) || null, {
    what: "progress above 0%",
  });
  assert.ok(percent < 100, `percent ${percent}`);
  assert.notEqual(await page.getByTestId("job-eta").textContent(), "–");
  await screenshot(page, "job_page-live");

  await page.getByTestId("job-cancel").click();
  await statusIs(page, "cancelled");
  await page.getByTestId("job-error").waitFor();
  assert.match(await page.getByTestId("job-error").textContent(), /cancelled/i);
  assert.ok(await page.getByTestId("job-cancel").isHidden(), "no Cancel button on a cancelled job");
  const record = await server.request("GET", `/api/v1/ml/train/${id}`);
  assert.equal(record.body.status, "cancelled");
  await screenshot(page, "job_page-cancelled");
  await closeClean(page);
});

test("a completed classification job draws every result and its model downloads", async () => {
  const job = await server.trainToEnd(SEED_CONFIG);
  assert.equal(job.status, "completed");
  const page = await openPage(browser, server);
  await openJob(page, job.job_id);
  await statusIs(page, "completed");
  assert.equal(await page.getByTestId("job-name").textContent(), SEED_CONFIG.name);
  assert.ok(await page.getByTestId("job-cancel").isHidden());

  // Two metrics per boosting round (train_logloss, valid_logloss), from the MLflow run,
  // which arrive one metric after the other.
  await drawnPoints(page, "learning-curve");
  const curvePoints = 2 * SEED_CONFIG.hyperparameters.n_estimators;
  await poll(async () => Number(await attr(page, "chart-learning-curve", "data-points")) === curvePoints, {
    timeout: 30000,
    what: `${curvePoints} learning-curve points`,
  });
  assert.equal(await drawnPoints(page, "roc"), job.curves.roc.fpr.length);
  assert.match(
    await page.locator('[data-chart="roc"] h3').textContent(),
    new RegExp(`AUC ${job.metrics.auc_roc.toFixed(3)}`),
  );
  assert.equal(await drawnPoints(page, "pr"), job.curves.precision_recall.recall.length);
  assert.equal(await drawnPoints(page, "calibration"), job.curves.calibration.mean_predicted.length);
  assert.equal(await drawnPoints(page, "feature-importance"), SEED_CONFIG.feature_columns.length);

  const metrics = page.getByTestId("metrics-table");
  assert.match(
    await metrics.locator('tr[data-metric="accuracy"]').textContent(),
    new RegExp(String(job.metrics.accuracy)),
  );
  assert.equal(await metrics.locator("tr[data-metric]").count(), 6); // accuracy, auc, f1, log loss, precision, recall

  // Confusion matrix: one cell per (true, predicted) pair, counts as the API gives them.
  const cells = page.getByTestId("confusion-matrix").getByTestId("confusion-cell");
  assert.equal(await cells.count(), 4);
  const counts = await cells.evaluateAll((tds) =>
    tds.map((td) => [Number(td.dataset.row), Number(td.dataset.col), Number(td.dataset.count)]),
  );
  for (const [r, c, n] of counts) assert.equal(n, job.metrics.confusion_matrix[r][c]);

  assert.match(await page.getByTestId("data-summary").textContent(), /6,000/);

  // The threshold explorer: at the lowest threshold every positive is found.
  const slider = page.getByTestId("threshold-slider");
  const before = await page.getByTestId("threshold-stats").getAttribute("data-threshold");
  await slider.fill(await slider.getAttribute("max"));
  assert.notEqual(await page.getByTestId("threshold-stats").getAttribute("data-threshold"), before);
  assert.match(await page.getByTestId("threshold-stats").textContent(), /Recall \(TPR\)1(?!\d|\.)/);
  assert.equal(await attr(page, "chart-roc", "data-datasets"), "1", "the marker is not counted as data");

  await page.locator('[data-testid="bom"] > summary').click();
  await page.locator('[data-testid="bom"][data-loaded="true"]').waitFor();
  const bom = JSON.parse(await page.getByTestId("bom-json").textContent());
  assert.equal(bom.id, job.job_id);
  assert.deepEqual(bom.feature_info.selected_features, SEED_CONFIG.feature_columns);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-model").click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  const text = await readFile(await download.path(), "utf8");
  assert.ok(text.length > 0, "the downloaded model is not empty");
  assert.ok(JSON.parse(text).learner, "an XGBoost JSON model");
  await page.getByTestId("download-status").filter({ hasText: "KiB" }).waitFor();
  await screenshot(page, "job_page-classification");
  await closeClean(page);
});

test("a regression job draws predicted against actual and the residuals", async () => {
  const job = await server.trainToEnd({
    name: "charges",
    algorithm: "linear_regression",
    task_type: "regression",
    dataset: {
      source: "sql",
      query:
        "SELECT tenure, monthly_charges, contract_type, total_charges FROM ml_features.customer_churn WHERE total_charges IS NOT NULL",
    },
    target_column: "total_charges",
  });
  assert.equal(job.status, "completed", JSON.stringify(job.error));
  const page = await openPage(browser, server);
  await openJob(page, job.job_id);
  await statusIs(page, "completed");
  const rows = job.curves.predicted_vs_actual.actual.length;
  assert.ok(rows > 100);
  assert.equal(await drawnPoints(page, "predicted-actual"), rows);
  assert.equal(await drawnPoints(page, "residuals"), rows);
  assert.equal(await drawnPoints(page, "feature-importance"), 3);
  assert.ok(await page.locator('[data-testid="metrics-table"] tr[data-metric="r2"]').isVisible());
  assert.equal(await page.getByTestId("confusion-matrix").count(), 0);
  await screenshot(page, "job_page-regression");
  await closeClean(page);
});

test("a forecasting job draws its forecast with the interval over the history", async () => {
  const job = await server.trainToEnd({
    name: "monthly-arima",
    algorithm: "arima",
    task_type: "forecasting",
    dataset: { source: "sql", query: "SELECT date, passengers FROM ml_features.monthly_passengers" },
    time_column: "date",
    target_column: "passengers",
    forecast: { horizon: 24 },
    split: { test_size: 24 },
  });
  assert.equal(job.status, "completed", JSON.stringify(job.error));
  const series = job.forecast[0];
  const page = await openPage(browser, server);
  await openJob(page, job.job_id);
  await statusIs(page, "completed");
  // History actuals, hold-out forecast and horizon forecast, each point drawn once.
  const expected = series.history.ds.length + series.holdout.ds.length + series.horizon.ds.length;
  assert.equal(await drawnPoints(page, "forecast"), expected);
  assert.match(await page.locator('[data-chart="forecast"] h3').textContent(), /passengers/);
  assert.match(await page.getByTestId("fitted-model").textContent(), /aic/);
  assert.ok(await page.locator('[data-testid="metrics-table"] tr[data-metric="mase"]').isVisible());
  assert.ok(await page.getByTestId("chart-learning-curve").isHidden(), "a forecast has no learning curve");
  await screenshot(page, "job_page-forecast");
  await closeClean(page);
});

test("a job that fails while loading its data shows the error code and message", async () => {
  // Valid against the schema; the query overflows on the rows with a long tenure only.
  const job = await server.trainToEnd({
    ...SEED_CONFIG,
    name: "overflows",
    dataset: {
      source: "sql",
      query:
        "SELECT tenure, monthly_charges, churned, CASE WHEN tenure > 70 THEN abs(-9223372036854775807 - 1) ELSE 0 END AS boom FROM ml_features.customer_churn",
    },
    feature_columns: ["tenure", "monthly_charges", "boom"],
  });
  assert.equal(job.status, "failed");
  const page = await openPage(browser, server);
  await openJob(page, job.job_id);
  await statusIs(page, "failed");
  assert.equal(await page.getByTestId("job-error-code").textContent(), job.error.code);
  assert.equal(await page.getByTestId("job-error-message").textContent(), job.error.message);
  assert.equal(await page.getByTestId("download-model").count(), 0);
  await page.getByTestId("bom").waitFor();
  await page.locator('[data-testid="job-log"] > summary').click();
  await page.locator('[data-testid="job-log"][data-loaded="true"]').waitFor();
  assert.match(await page.getByTestId("job-log-text").textContent(), new RegExp(job.job_id));
  await screenshot(page, "job_page-failed");
  await closeClean(page);
});

test("an unknown job id says so", async () => {
  const page = await openPage(browser, server);
  await signIn(page, server);
  await page.goto(`${server.url}/#/jobs/train-0000000000000000`);
  await page.getByTestId("job-load-error").waitFor();
  assert.match(await page.getByTestId("job-load-error").textContent(), /No such job/);
  await screenshot(page, "job_page-unknown");
  page.consoleErrors = page.consoleErrors.filter((e) => !e.includes("status of 404")); // the answer it asked for
  await closeClean(page);
});
