// Makes the README's pictures from a real traind: the job page of a finished seed job
// (docs/images/job-page.png) and trainctl's live progress in a terminal
// (docs/images/trainctl-watch.png: tmux runs `trainctl submit --watch`, its screen is captured
// mid-training with its colours and drawn by Chromium).
//
// Usage: node scripts/readme_screenshots.mjs [--build build]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const args = process.argv.slice(2);
const build = path.resolve(repo, args.includes("--build") ? args[args.indexOf("--build") + 1] : "build");
process.env.TRAIND_BIN_DIR ||= path.join(build, "bin");
process.env.TRAIND_WEB_DIR ||= path.join(build, "web");
const { Server, launchBrowser, openPage, signIn, poll, SEED_CONFIG } = await import(
  path.join(repo, "web/tests/harness.mjs")
);
const images = path.join(repo, "docs/images");
mkdirSync(images, { recursive: true });

// ANSI SGR colours of a captured tmux pane as HTML spans.
function ansiToHtml(text) {
  const palette = ["#1e1e1e", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#dcdfe4"];
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let html = "";
  let open = false;
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    const m = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!m) {
      html += escape(part);
      continue;
    }
    if (open) html += "</span>";
    open = false;
    const styles = [];
    for (const code of m[1].split(";").map(Number)) {
      if (code === 1) styles.push("font-weight:bold");
      else if (code === 2) styles.push("opacity:.7");
      else if (code >= 30 && code <= 37) styles.push(`color:${palette[code - 30]}`);
      else if (code >= 90 && code <= 97) styles.push(`color:${palette[code - 90]}`);
    }
    if (styles.length) {
      html += `<span style="${styles.join(";")}">`;
      open = true;
    }
  }
  return html + (open ? "</span>" : "");
}

const server = await new Server().start();
const browser = await launchBrowser();
try {
  // The job page of a finished seed job.
  const done = await server.trainToEnd(SEED_CONFIG);
  const page = await openPage(browser, server, { width: 1400, height: 900 });
  await signIn(page, server);
  await page.goto(`${server.url}/#/jobs/${done.job_id}`);
  await page.locator('[data-testid="chart-roc"][data-drawn="true"]').waitFor();
  await page.screenshot({ path: path.join(images, "job-page.png"), fullPage: true });
  console.log("wrote docs/images/job-page.png");

  // trainctl submit --watch in a terminal, captured while it trains.
  const work = path.join(tmpdir(), `traind-shot-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const config = { ...SEED_CONFIG, name: "churn-watch", hyperparameters: { n_estimators: 3000, max_depth: 6, learning_rate: 0.01 } };
  const file = path.join(work, "churn.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  const session = `traind-shot-${process.pid}`;
  const trainctl = path.join(process.env.TRAIND_BIN_DIR, "trainctl");
  const command = `TRAIND_URL=${server.url} TRAIND_API_KEY=${server.key()} ${trainctl} submit ${file} --watch`;
  execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "110", "-y", "16", `bash -c '${command}; sleep 30'`]);
  const capture = () => spawnSync("tmux", ["capture-pane", "-p", "-e", "-t", session], { encoding: "utf8" }).stdout;
  const screen = await poll(
    () => {
      const text = capture();
      const m = /(\d+)\s*\/\s*3000/.exec(text);
      return m && Number(m[1]) > 600 ? text : null;
    },
    { timeout: 120000, what: "trainctl to show training progress" },
  );
  execFileSync("tmux", ["kill-session", "-t", session]);
  const term = await browser.newPage({ viewport: { width: 900, height: 300 } });
  await term.setContent(
    `<body style="margin:0;background:#1e1e1e"><pre id="t" style="margin:0;padding:14px 18px;` +
      `font:14px/1.35 'DejaVu Sans Mono',monospace;color:#dcdfe4;background:#1e1e1e;display:inline-block">` +
      `<span style="color:#98c379">$</span> trainctl submit churn.json --watch\n${ansiToHtml(screen.trimEnd())}</pre></body>`,
  );
  await term.locator("#t").screenshot({ path: path.join(images, "trainctl-watch.png") });
  console.log("wrote docs/images/trainctl-watch.png");
} finally {
  await browser.close();
  await server.stop();
}
