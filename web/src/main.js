// The page: a hash router over views. Each view is render(root, params) → cleanup (called
// when the person leaves it: close streams, destroy charts).
//   #/signin   #/jobs   #/new   #/jobs/<job_id>   #/compare?jobs=<id>,<id>,...
import { apiKey } from "./api.js";
import { mount } from "./dom.js";
import * as signin from "./views/signin.js";
import * as jobs from "./views/jobs.js";
import * as newJob from "./views/new_job.js";
import * as job from "./views/job.js";
import * as compare from "./views/compare.js";

const routes = [
  { pattern: /^\/signin$/, view: signin, open: true },
  { pattern: /^\/jobs$/, view: jobs },
  { pattern: /^\/new$/, view: newJob },
  { pattern: /^\/jobs\/([^/]+)$/, view: job, names: ["job_id"] },
  { pattern: /^\/compare$/, view: compare },
];

let cleanup = null;

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/jobs";
  const [path, query = ""] = raw.split("?");
  return { path, query: new URLSearchParams(query) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route() {
  const { path, query } = parseHash();
  const root = document.getElementById("app");
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  let match = null;
  let entry = routes.find((r) => (match = r.pattern.exec(path)));
  if (!entry) {
    entry = routes[1];
    match = [];
  }
  if (!entry.open && !apiKey()) {
    location.hash = "#/signin?next=" + encodeURIComponent("#" + path + (query.size ? "?" + query : ""));
    return;
  }
  document.body.dataset.view = path.split("/")[1] || "jobs";
  document.getElementById("nav").hidden = !apiKey();
  const params = { query };
  (entry.names || []).forEach((n, i) => (params[n] = decodeURIComponent(match[i + 1])));
  mount(root);
  cleanup = entry.view.render(root, params) || null;
}

window.addEventListener("hashchange", route);
// A 401 anywhere sends the person back to sign in (the sign-in view shows its own error).
window.addEventListener("traind:signed-out", () => {
  if (!location.hash.startsWith("#/signin")) navigate("#/signin");
});
route();
