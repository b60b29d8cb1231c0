// Browser tests' harness: a real traind on 127.0.0.1 with a fresh data directory serving
// the built page, and Debian's Chromium driven by playwright-core. Nothing leaves the
// loopback: every request the page makes elsewhere is refused and recorded, so a test can
// assert there were none. Waits poll with a deadline (Playwright's auto-waiting or poll()).
//
// Environment (set by CTest): TRAIND_BIN_DIR (traind), TRAIND_WEB_DIR (the built page),
// TRAIND_TEST_OUTPUT (screenshots go to $TRAIND_TEST_OUTPUT/web/).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, mkdirSync, openSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
export const BIN_DIR = process.env.TRAIND_BIN_DIR || path.join(repo, "build/bin");
export const WEB_DIR = process.env.TRAIND_WEB_DIR || path.join(repo, "build/web");
export const OUTPUT_DIR = path.join(process.env.TRAIND_TEST_OUTPUT || path.join(repo, "build/test-output"), "web");

export const SEED_CONFIG = {
  name: "churn-predictor-v2",
  algorithm: "xgboost",
  task_type: "classification",
  dataset: { source: "sql", query: "SELECT * FROM ml_features.customer_churn", tenant_id: "acme-corp" },
  target_column: "churned",
  feature_columns: ["tenure", "monthly_charges", "total_charges"],
  split: { strategy: "stratified", test_size: 0.2, random_state: 42 },
  hyperparameters: { n_estimators: 100, max_depth: 6, learning_rate: 0.1 },
};

export async function poll(fn, { timeout = 120000, interval = 50, what = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// One traind process with its own data directory.
export class Server {
  async start() {
    this.dataDir = mkdtempSync(path.join(tmpdir(), "traind-web-"));
    const log = openSync(path.join(this.dataDir, "server.log"), "a");
    this.proc = spawn(
      path.join(BIN_DIR, "traind"),
      ["serve", "--listen", "127.0.0.1:0", "--data-dir", this.dataDir, "--web-dir", WEB_DIR],
      { stdio: ["ignore", log, log] },
    );
    this.exited = new Promise((resolve) => this.proc.on("exit", resolve));
    const portFile = path.join(this.dataDir, "traind.port");
    this.port = await poll(
      () => {
        if (this.proc.exitCode !== null) throw new Error(`traind exited; see ${this.dataDir}/server.log`);
        if (!existsSync(portFile)) return null;
        const n = parseInt(readFileSync(portFile, "utf8"), 10);
        return Number.isFinite(n) && n > 0 ? n : null;
      },
      { timeout: 60000, what: "traind to listen" },
    );
    this.url = `http://127.0.0.1:${this.port}`;
    await poll(async () => (await fetch(this.url + "/healthz").catch(() => null))?.ok, {
      timeout: 30000,
      what: "healthz",
    });
    return this;
  }

  key(name = "acme-corp") {
    return readFileSync(path.join(this.dataDir, `${name}.key`), "utf8").trim();
  }

  // Calls the API as `key`; resolves with {status, body}.
  async request(method, p, { body, key = this.key() } = {}) {
    const headers = { Authorization: `Bearer ${key}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(this.url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, body: json, text };
  }

  // Submits a configuration; resolves with the job id (throws unless 202).
  async submit(config, key = this.key()) {
    const r = await this.request("POST", "/api/v1/ml/train", { body: config, key });
    if (r.status !== 202) throw new Error(`submit: ${r.status} ${r.text}`);
    return r.body.job_id;
  }

  // Submits a configuration and waits until the job is in a terminal state.
  async trainToEnd(config = SEED_CONFIG, key = this.key()) {
    const r = await this.request("POST", "/api/v1/ml/train", { body: config, key });
    if (r.status !== 202 && r.status !== 200 && r.status !== 201) throw new Error(`submit: ${r.status} ${r.text}`);
    const id = r.body.job_id;
    return poll(
      async () => {
        const j = await this.request("GET", `/api/v1/ml/train/${id}`, { key });
        return ["completed", "failed", "cancelled"].includes(j.body.status) ? j.body : null;
      },
      { what: `job ${id} to end` },
    );
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill("SIGTERM");
      await this.exited;
    }
    if (this.dataDir && !process.env.TRAIND_KEEP_DATA) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Headless Chromium with a fresh profile. The flags keep it off the network: Chromium's
// own background connections would otherwise try hosts this machine cannot reach.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.TRAIND_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// One traind and one Chromium for a test file: `({ server, browser } = await startBoth())` in
// before(), `await stopBoth(server, browser)` in after().
export async function startBoth() {
  const server = await new Server().start();
  return { server, browser: await launchBrowser() };
}

export async function stopBoth(server, browser) {
  await browser?.close();
  await server?.stop();
}

// A page on `server` whose requests to anywhere but the server are refused and listed in
// page.offsite (a test asserts it stays empty); console errors land in page.consoleErrors.
export async function openPage(browser, server, { width = 1400, height = 1000 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.offsite = [];
  page.consoleErrors = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.host === `127.0.0.1:${server.port}`) return route.continue();
    page.offsite.push(url.href);
    return route.abort();
  });
  page.on("console", (m) => m.type() === "error" && page.consoleErrors.push(m.text()));
  page.on("pageerror", (e) => page.consoleErrors.push(String(e)));
  return page;
}

// Opens the page and signs in with the demo tenant's key.
export async function signIn(page, server, key = server.key()) {
  await page.goto(server.url + "/");
  await page.getByTestId("signin-key").fill(key);
  await page.getByTestId("signin-submit").click();
  await page.waitForURL(/#\/jobs/);
}

// Ends a test's page: asserts that nothing left the loopback and that the console stayed
// clean, then closes the page's context. Chromium reports an HTTP error answer as a
// console error; a test that provokes one on purpose names its status and nothing else
// is forgiven.
export async function closeClean(page, { expectedHttpErrors = [] } = {}) {
  const unexpected = page.consoleErrors.filter(
    (e) => !expectedHttpErrors.some((s) => e.includes(`the server responded with a status of ${s}`)),
  );
  assert.deepEqual(page.offsite, [], "requests left the server");
  assert.deepEqual(unexpected, [], "console errors");
  await page.context().close();
}

// Saves a full-page screenshot as $TRAIND_TEST_OUTPUT/web/<name>.png; returns its path.
export async function screenshot(page, name) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
