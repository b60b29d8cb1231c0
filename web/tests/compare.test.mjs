// The compare page in a real browser against a real traind: two finished jobs with
// different hyperparameters side by side (metrics with the best marked, the differing
// hyperparameters marked, overlaid ROC and learning curves, feature importance), and the
// picker that leads there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SEED_CONFIG, closeClean, openPage, poll, screenshot, signIn, startBoth, stopBoth } from "./harness.mjs";

let server;
let browser;
let deep;
let shallow;

before(async () => {
  ({ server, browser } = await startBoth());
  const configs = [
    { ...SEED_CONFIG, name: "churn-deep" },
    { ...SEED_CONFIG, name: "churn-shallow", hyperparameters: { n_estimators: 40, max_depth: 2, learning_rate: 0.3 } },
  ];
  [deep, shallow] = await Promise.all(configs.map((c) => server.trainToEnd(c)));
  assert.equal(deep.status, "completed");
  assert.equal(shallow.status, "completed");
});

after(() => stopBoth(server, browser));


async function datasetsOf(page, name) {
  const canvas = page.locator(`canvas[data-testid="chart-${name}"][data-drawn="true"]`);
  await canvas.waitFor({ timeout: 30000 });
  return Number(await canvas.getAttribute("data-datasets"));
}

test("two finished jobs side by side: metrics, hyperparameter diff and overlaid curves", async () => {
  const page = await openPage(browser, server);
  await signIn(page, server);
  await page.goto(`${server.url}/#/compare?jobs=${deep.job_id},${shallow.job_id}`);
  const table = page.getByTestId("compare-table");
  await table.waitFor();
  const head = await table.locator("thead").textContent();
  assert.ok(head.includes("churn-deep") && head.includes("churn-shallow"), head);

  // Each row holds both jobs' values, and the better AUC is the one marked.
  const auc = table.locator('tr[data-metric="auc_roc"] td');
  assert.equal(await auc.count(), 2);
  const better = deep.metrics.auc_roc >= shallow.metrics.auc_roc ? 0 : 1;
  assert.equal(await auc.nth(better).getAttribute("data-best"), "true");
  assert.equal(await auc.nth(1 - better).getAttribute("data-best"), null);
  assert.equal(await table.locator('tr[data-metric="log_loss"] td[data-best="true"]').count(), 1);

  const config = page.getByTestId("compare-config");
  assert.equal(await config.locator('tr[data-param="max_depth"]').getAttribute("data-differs"), "true");
  assert.equal(await config.locator('tr[data-param="n_estimators"]').getAttribute("data-differs"), "true");
  assert.equal(await config.locator('tr[data-param="target_column"]').getAttribute("data-differs"), "false");
  await page.getByTestId("compare-diff-only").check();
  assert.ok(await config.locator('tr[data-param="target_column"]').isHidden());
  assert.ok(await config.locator('tr[data-param="max_depth"]').isVisible());

  assert.equal(await datasetsOf(page, "compare-roc"), 2);
  assert.equal(await datasetsOf(page, "compare-importance"), 2);
  // Learning curves of one metric, one line per job with one point per boosting round.
  assert.equal(await datasetsOf(page, "compare-learning"), 2);
  assert.equal(await page.getByTestId("compare-metric").inputValue(), "valid_logloss");
  const points = deep.config.hyperparameters.n_estimators + shallow.config.hyperparameters.n_estimators;
  await poll(
    async () => Number(await page.getByTestId("chart-compare-learning").getAttribute("data-points")) === points,
    {
      timeout: 30000,
      what: `${points} valid_logloss points`,
    },
  );
  // Another metric redraws the overlay.
  await page.getByTestId("compare-metric").selectOption("train_logloss");
  await page.locator('canvas[data-testid="chart-compare-learning"][data-metric="train_logloss"]').waitFor();
  assert.equal(await datasetsOf(page, "compare-learning"), 2);
  await page.getByTestId("compare-diff-only").uncheck();
  await screenshot(page, "compare-two-jobs");
  await closeClean(page);
});

test("without jobs in the address, the picker lists finished jobs and leads to the comparison", async () => {
  const page = await openPage(browser, server);
  await signIn(page, server);
  await page.goto(`${server.url}/#/compare`);
  await page.getByTestId("compare-picker").waitFor();
  const go = page.getByTestId("compare-submit");
  assert.ok(await go.isDisabled(), "Compare needs two jobs");
  await page.getByTestId(`compare-pick-${deep.job_id}`).check();
  assert.ok(await go.isDisabled());
  await page.getByTestId(`compare-pick-${shallow.job_id}`).check();
  await screenshot(page, "compare-picker");
  await go.click();
  await page.waitForURL(/#\/compare\?jobs=/);
  const ids = new URL(page.url()).hash.split("jobs=")[1].split(",");
  assert.deepEqual(ids.sort(), [deep.job_id, shallow.job_id].sort());
  await page.getByTestId("compare-table").waitFor();
  assert.equal(await datasetsOf(page, "compare-roc"), 2);
  await closeClean(page);
});
