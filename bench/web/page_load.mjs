// How long traind's web page takes to load on the loopback, in headless Chromium: from
// navigation to the jobs list drawn with the tenant's jobs (a cold load with an empty cache,
// then warm loads that revalidate with ETags), and the bytes it transfers.
//
// Usage: node bench/web/page_load.mjs [--build build] [--runs 15] [--jobs 20]
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const build = path.resolve(repo, opt("--build", "build"));
process.env.TRAIND_BIN_DIR ||= path.join(build, "bin");
process.env.TRAIND_WEB_DIR ||= path.join(build, "web");
const runs = Number(opt("--runs", "15"));
const jobCount = Number(opt("--jobs", "20"));

const { Server, launchBrowser, openPage, SEED_CONFIG, poll } = await import(
  path.join(repo, "web/tests/harness.mjs")
);

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  return { min: v[0], median: v[Math.floor(v.length / 2)], max: v[v.length - 1] };
}
const ms = (x) => `${x.toFixed(0)} ms`;

const server = await new Server().start();
const browser = await launchBrowser();
try {
  const ids = [];
  for (let i = 0; i < jobCount; i++) {
    const config = { ...SEED_CONFIG, name: `bench-${i}`, hyperparameters: { n_estimators: 5 } };
    const r = await server.request("POST", "/api/v1/ml/train", { body: config });
    ids.push(r.body.job_id);
  }
  await poll(
    async () => {
      const r = await server.request("GET", "/api/v1/ml/train?status=queued,running&limit=1");
      return r.body.jobs.length === 0;
    },
    { timeout: 300000, what: "the jobs to finish" },
  );

  // Time from the navigation's start to the first job row in the document, both by the
  // page's own clock (so neither Chromium starting a renderer nor the harness's polling is
  // counted); bytes from Resource Timing.
  let loads = 0;
  async function load(page) {
    // A new query string each time: a real navigation, not a same-document hash change.
    await page.goto(`${server.url}/?load=${++loads}#/jobs`);
    await page.getByTestId(`job-row-${ids[0]}`).waitFor();
    await page.waitForFunction(() => window.__firstRowAt !== undefined);
    return page.evaluate(() => {
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        ms: window.__firstRowAt,
        bytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0),
        domContentLoaded: nav.domContentLoadedEventEnd,
        resources: performance.getEntriesByType("resource").map((e) => [e.name.replace(/^.*\/\/[^/]+/, ""), Math.round(e.startTime), Math.round(e.responseEnd)]),
      };
    });
  }
  async function signedInPage() {
    const page = await openPage(browser, server);
    // Notes the moment the first job row enters the document, by the page's own clock.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid^="job-row-"]')) {
          window.__firstRowAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url + "/");
    await page.evaluate((key) => sessionStorage.setItem("traind.api_key", key), server.key());
    return page;
  }
  const cold = [];
  let coldBytes = 0;
  for (let i = 0; i < 5; i++) {
    const page = await signedInPage(); // a new context: empty cache
    await page.context().clearCookies();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    const r = await load(page);
    cold.push(r.ms);
    if (process.env.DEBUG_LOAD) console.log(JSON.stringify(r));
    coldBytes = r.bytes;
    if (page.offsite.length) throw new Error("the page reached off the loopback: " + page.offsite);
    await page.context().close();
  }
  const page = await signedInPage();
  await load(page);
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push((await load(page)).ms);
  if (page.offsite.length) throw new Error("the page reached off the loopback: " + page.offsite);
  const c = stats(cold);
  const w = stats(warm);
  console.log(`web page load on the loopback, navigation start to the jobs list drawn (${jobCount} jobs)`);
  console.log(`  cold (empty cache, 5 loads): min ${ms(c.min)}, median ${ms(c.median)}, max ${ms(c.max)}; ${(coldBytes / 1024).toFixed(0)} KiB transferred`);
  console.log(`  warm (ETag revalidation, ${runs} loads): min ${ms(w.min)}, median ${ms(w.median)}, max ${ms(w.max)}`);
} finally {
  await browser.close();
  await server.stop();
}
