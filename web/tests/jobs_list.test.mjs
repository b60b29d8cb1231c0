// The jobs list in a real browser against a real traind: signing in, a job appearing and
// finishing live (no reload), the status filter in the hash, cancelling from the list,
// and selecting jobs to compare.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SEED_CONFIG, closeClean, openPage, poll, screenshot, signIn, startBoth, stopBoth } from "./harness.mjs";

let server;
let browser;

before(async () => ({ server, browser } = await startBoth()));
after(() => stopBoth(server, browser));



// A job that trains long enough to be seen running and to be cancelled.
const LONG_CONFIG = {
  ...SEED_CONFIG,
  name: "long-runner",
  hyperparameters: { n_estimators: 20000, max_depth: 4, learning_rate: 0.01 },
};

async function openJobs(page) {
  await signIn(page, server);
  await page.getByTestId("jobs-table").waitFor();
  // The list applies events only once it is subscribed: wait for that before acting.
  await page.locator('[data-testid="live-indicator"][data-state="on"]').waitFor();
}

test("sign-in refuses a bad key and lands on the jobs list with the demo key", async () => {
  const page = await openPage(browser, server);
  await page.goto(server.url + "/");
  await page.getByTestId("signin-key").fill("tdk_not_a_real_key");
  await page.getByTestId("signin-submit").click();
  await page.getByTestId("signin-error").waitFor();
  assert.match(await page.getByTestId("signin-error").textContent(), /unknown|revoked/i);
  assert.match(page.url(), /#\/signin/);
  await screenshot(page, "jobs_list-signin-error");

  await signIn(page, server);
  await page.getByTestId("jobs-table").waitFor();
  assert.match(page.url(), /#\/jobs/);
  await screenshot(page, "jobs_list-signed-in-empty");
  await closeClean(page, { expectedHttpErrors: [401] });
});

test("a job submitted through the API appears and completes in the list without a reload", async () => {
  const page = await openPage(browser, server);
  await openJobs(page);
  // A marker on window survives only as long as the page is not reloaded.
  await page.evaluate(() => (window.__sameDocument = true));
  // Record every status each row shows, to see the row move rather than appear finished.
  await page.evaluate(() => {
    window.__seen = {};
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid^="job-status-"]')) {
        const list = (window.__seen[el.dataset.testid] ||= []);
        if (list[list.length - 1] !== el.textContent) list.push(el.textContent);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  const id = await server.submit(SEED_CONFIG);
  const status = page.getByTestId(`job-status-${id}`);
  await poll(async () => (await status.textContent().catch(() => "")) === "completed", {
    what: "the row to say completed",
  });
  const seen = await page.evaluate((testid) => window.__seen[testid], `job-status-${id}`);
  assert.ok(seen.length >= 2 && seen[0] !== "completed", `statuses shown: ${seen}`);
  assert.equal(seen[seen.length - 1], "completed");

  const progress = page.getByTestId(`job-progress-${id}`);
  assert.equal(await progress.getAttribute("data-percent"), "100");
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");
  const row = page.getByTestId(`job-row-${id}`);
  assert.match(await row.textContent(), /churn-predictor-v2/);
  assert.match(await row.textContent(), /AUC/);
  assert.equal(await row.locator("a").getAttribute("href"), `#/jobs/${id}`);
  await screenshot(page, "jobs_list-live-completed");
  await closeClean(page);
});

test("a running job shows its progress, can be cancelled from its row, and the status filter keeps only matching rows", async () => {
  const page = await openPage(browser, server);
  await openJobs(page);
  const long = await server.submit(LONG_CONFIG);
  await poll(async () => (await page.getByTestId(`job-status-${long}`).textContent().catch(() => "")) === "running", {
    what: "the long job to run",
  });
  // Its progress bar moves with the stream's progress events (the list is not refetched).
  const bar = page.getByTestId(`job-progress-${long}`);
  await poll(async () => Number(await bar.getAttribute("data-percent")) > 0, { what: "the progress bar to move" });
  assert.match(await page.getByTestId(`job-row-${long}`).textContent(), /training · [\d.]+%/);
  await screenshot(page, "jobs_list-running");
  await page.getByTestId(`cancel-${long}`).click();
  await poll(async () => (await page.getByTestId(`job-status-${long}`).textContent()) === "cancelled", {
    what: "the row to say cancelled",
  });
  await poll(async () => (await server.request("GET", `/api/v1/ml/train/${long}`)).body.status === "cancelled", {
    what: "the server to have cancelled it",
  });

  await page.getByTestId("filter-status-cancelled").check();
  await page.waitForURL(/#\/jobs\?status=cancelled$/);
  await poll(async () => (await page.locator('[data-testid^="job-row-"]').count()) === 1, { what: "one row" });
  await page.getByTestId(`job-row-${long}`).waitFor();

  await page.getByTestId("filter-status-cancelled").uncheck();
  await page.getByTestId("filter-status-completed").check();
  await page.waitForURL(/status=completed$/);
  const completed = (await server.request("GET", "/api/v1/ml/train?status=completed")).body.jobs;
  assert.ok(completed.length >= 1);
  await poll(async () => (await page.locator('[data-testid^="job-row-"]').count()) === completed.length, {
    what: "only the completed rows",
  });
  const statuses = await page.locator('[data-testid^="job-status-"]').allTextContents();
  assert.deepEqual([...new Set(statuses)], ["completed"]);
  await screenshot(page, "jobs_list-filter-completed");

  // The filter lives in the hash: a reload shows the same filtered list.
  await page.reload();
  await page.getByTestId("jobs-table").waitFor();
  assert.equal(await page.getByTestId("filter-status-completed").isChecked(), true);
  await poll(async () => (await page.locator('[data-testid^="job-row-"]').count()) === completed.length, {
    what: "the filtered rows after a reload",
  });
  assert.equal(await page.getByTestId(`job-row-${long}`).count(), 0);
  await closeClean(page);
});

test("ticking two jobs and pressing Compare opens the comparison of those jobs", async () => {
  const first = (await server.trainToEnd({ ...SEED_CONFIG, name: "compare-a" })).job_id;
  const shallow = { ...SEED_CONFIG, name: "compare-b", hyperparameters: { max_depth: 3 } };
  const second = (await server.trainToEnd(shallow)).job_id;
  const page = await openPage(browser, server);
  await openJobs(page);
  const compare = page.getByTestId("compare-button");
  assert.equal(await compare.isDisabled(), true);
  await page.getByTestId(`select-${first}`).check();
  assert.equal(await compare.isDisabled(), true, "one job is nothing to compare");
  await page.getByTestId(`select-${second}`).check();
  await screenshot(page, "jobs_list-two-selected");
  await compare.click();
  await page.waitForURL(/#\/compare\?jobs=/);
  const jobs = new URL(page.url()).hash.split("jobs=")[1].split(",").map(decodeURIComponent);
  assert.deepEqual(jobs, [first, second]);
  await closeClean(page);
});
