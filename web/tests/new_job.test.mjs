// The new-job form in a real browser against a real traind: errors the server reports
// land at the field their JSON Pointer names (from the fields and from the JSON tab) and
// nothing is submitted; the seed configuration entered field by field validates, shows its
// resolved form and, submitted, opens the new job's page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SEED_CONFIG, closeClean, openPage, screenshot, signIn, startBoth, stopBoth } from "./harness.mjs";

let server;
let browser;

before(async () => ({ server, browser } = await startBoth()));
after(() => stopBoth(server, browser));

async function openForm(page) {
  await signIn(page, server);
  await page.goto(server.url + "/#/new");
  await page.getByTestId("dataset-table").waitFor();
}

// Enters the seed configuration field by field, as a person would.
async function fillSeed(page, overrides = {}) {
  const v = { test_size: "0.2", max_depth: "6", ...overrides };
  await page.getByTestId("input-name").fill(SEED_CONFIG.name);
  await page.getByTestId("input-algorithm").selectOption("xgboost");
  await page.getByTestId("input-task_type").selectOption("classification");
  await page.getByTestId("dataset-table").selectOption("ml_features.customer_churn");
  assert.equal(await page.getByTestId("input-dataset.query").inputValue(), "SELECT * FROM ml_features.customer_churn");
  await page.getByTestId("input-target_column").selectOption("churned");
  for (const column of SEED_CONFIG.feature_columns) await page.getByTestId(`feature-${column}`).check();
  await page.getByTestId("input-split.strategy").selectOption({ label: "stratified" });
  await page.getByTestId("input-split.test_size").fill(v.test_size);
  await page.getByTestId("input-split.random_state").fill("42");
  await page.getByTestId("input-hyperparameters.n_estimators").fill("100");
  await page.getByTestId("input-hyperparameters.max_depth").fill(v.max_depth);
  await page.getByTestId("input-hyperparameters.learning_rate").fill("0.1");
}

// The inline error of the field bound to `path` (a JSON Pointer).
function errorAt(page, path) {
  return page.locator(`[data-path="${path}"] > [data-testid="field-error"]`);
}

async function jobCount() {
  const r = await server.request("GET", "/api/v1/ml/train");
  assert.equal(r.status, 200);
  return r.body.jobs.length;
}

test("errors from the server are shown at their fields and nothing is submitted", async () => {
  const page = await openPage(browser, server);
  await openForm(page);
  await fillSeed(page, { test_size: "1.5", max_depth: "-1" });
  await page.getByTestId("validate-button").click();

  await errorAt(page, "/split/test_size").waitFor();
  assert.match(await errorAt(page, "/split/test_size").textContent(), /1\.5/);
  assert.match(await errorAt(page, "/hyperparameters/max_depth").textContent(), /-1/);
  assert.equal(await page.getByTestId("field-error").count(), 2, "one error per reported path");
  // The person's input stays as typed.
  assert.equal(await page.getByTestId("input-split.test_size").inputValue(), "1.5");
  assert.equal(await page.getByTestId("input-hyperparameters.max_depth").inputValue(), "-1");
  assert.equal(await page.getByTestId("feature-tenure").isChecked(), true);
  assert.equal(await page.getByTestId("submit-button").isDisabled(), true);
  assert.equal(await page.getByTestId("resolved-config").isVisible(), false);
  await screenshot(page, "new_job-field-errors");

  // A whole configuration pasted in the JSON tab: its error lands at the form's field.
  await page.getByTestId("tab-json").click();
  const bad = { ...SEED_CONFIG, name: "bad-target", target_column: "no_such_column" };
  await page.getByTestId("config-json").fill(JSON.stringify(bad, null, 2));
  await page.getByTestId("validate-button").click();
  await errorAt(page, "/target_column").waitFor();
  assert.match(await errorAt(page, "/target_column").textContent(), /no_such_column/);
  assert.equal(await page.getByTestId("input-target_column").inputValue(), "no_such_column");
  assert.equal(await errorAt(page, "/split/test_size").count(), 0, "the old errors are gone");
  assert.equal(await page.getByTestId("submit-button").isDisabled(), true);
  await screenshot(page, "new_job-json-target-error");

  assert.equal(await jobCount(), 0, "a job was created");
  await closeClean(page, { expectedHttpErrors: [400] });
});

test("the seed configuration entered in the form validates, resolves and submits", async () => {
  const page = await openPage(browser, server);
  await openForm(page);
  await fillSeed(page);
  await page.getByTestId("validate-button").click();
  const resolvedEl = page.getByTestId("resolved-config");
  await resolvedEl.waitFor();
  const resolved = JSON.parse(await resolvedEl.textContent());
  assert.equal(resolved.name, SEED_CONFIG.name);
  assert.equal(resolved.algorithm, "xgboost");
  assert.equal(resolved.task_type, "classification");
  assert.equal(resolved.dataset.query, SEED_CONFIG.dataset.query);
  assert.equal(resolved.target_column, "churned");
  assert.deepEqual(resolved.feature_columns, SEED_CONFIG.feature_columns);
  assert.deepEqual(resolved.split, SEED_CONFIG.split);
  for (const [k, v] of Object.entries(SEED_CONFIG.hyperparameters)) assert.equal(resolved.hyperparameters[k], v, k);
  assert.ok("subsample" in resolved.hyperparameters, "defaults are filled in");
  await screenshot(page, "new_job-resolved");

  const submit = page.getByTestId("submit-button");
  assert.equal(await submit.isEnabled(), true);
  await submit.click();
  await page.waitForURL(/#\/jobs\/train-[0-9a-f]+$/);
  const id = decodeURIComponent(page.url().split("#/jobs/")[1]);
  const job = await server.request("GET", `/api/v1/ml/train/${id}`);
  assert.equal(job.status, 200);
  assert.equal(job.body.name, SEED_CONFIG.name);
  // Only what was set is sent: the resolved defaults come from the server, not the page.
  assert.deepEqual(job.body.config.hyperparameters, resolved.hyperparameters);
  await screenshot(page, "new_job-submitted");
  await closeClean(page);
});
