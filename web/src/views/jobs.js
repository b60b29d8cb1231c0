// The jobs list (#/jobs): the tenant's jobs, newest first, filtered through the hash query,
// kept current by the tenant's event stream. Order matters for not missing anything: the
// stream is open before the list is fetched, and events that arrive during a fetch wait in
// a buffer until the fetched rows are in place.
import { api, openEvents } from "../api.js";
import { h, mount } from "../dom.js";
import { filtersFromQuery, filtersToQuery, listPath, makeFilterBar, matches } from "./jobs_filters.js";
import { makeJobRow, TERMINAL } from "./jobs_row.js";

const COLUMNS = ["", "Name", "Algorithm", "Task", "Status", "Progress", "Key metric", "Created", "Duration", ""];
const FALLBACK_ALGORITHMS = [
  "xgboost",
  "lightgbm",
  "random_forest",
  "logistic_regression",
  "linear_regression",
  "neural_network",
  "prophet",
  "arima",
];
const RECONNECT_MS = 2000;

export function render(root, { query }) {
  let filters = filtersFromQuery(query);
  const rows = new Map(); // job_id → row, in table order
  const selected = new Set(); // job ids, in the order they were ticked
  let nextToken = null;
  let buffer = []; // events held while a fetch is under way; null when applied directly
  let stream = null;
  let disposed = false;
  let fetchGeneration = 0;
  let reconnectTimer = null;

  const tbody = h("tbody");
  const emptyRow = h("tr", { class: "empty" }, h("td", { colspan: COLUMNS.length }));
  const table = h(
    "table",
    { class: "jobs-table", "data-testid": "jobs-table" },
    h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", {}, c)))),
    tbody,
  );
  const loadMore = h(
    "button",
    { type: "button", class: "secondary", "data-testid": "load-more", hidden: true, onclick: () => fetchMore() },
    "Load more",
  );
  const summary = h("span", { class: "muted", "data-testid": "jobs-count" });
  const live = h(
    "span",
    { class: "live", "data-testid": "live-indicator", "data-state": "connecting" },
    "connecting…",
  );
  const notice = h("div", { class: "notice error", "data-testid": "jobs-error", hidden: true });
  const compare = h(
    "button",
    {
      type: "button",
      "data-testid": "compare-button",
      disabled: true,
      title: "Tick two or more jobs to compare them",
      onclick: () => (location.hash = "#/compare?jobs=" + [...selected].map(encodeURIComponent).join(",")),
    },
    "Compare",
  );

  function showError(message) {
    notice.textContent = message;
    notice.hidden = !message;
  }

  function refreshChrome() {
    const n = rows.size;
    const filtered = filters.status.length || filters.algorithm || filters.name;
    emptyRow.firstChild.replaceChildren(
      ...(filtered
        ? ["No jobs match these filters."]
        : ["No jobs yet. ", h("a", { href: "#/new" }, "Start a training job"), "."]),
    );
    if (n === 0 && !emptyRow.isConnected) tbody.append(emptyRow);
    if (n > 0) emptyRow.remove();
    summary.textContent = `${n} job${n === 1 ? "" : "s"}${nextToken ? ", more to load" : ""}`;
    loadMore.hidden = !nextToken;
    compare.disabled = selected.size < 2;
    compare.textContent = selected.size ? `Compare (${selected.size})` : "Compare";
  }

  function onSelect(id, on) {
    if (on) selected.add(id);
    else selected.delete(id);
    refreshChrome();
  }

  async function onCancel(id) {
    try {
      const job = await api(`/api/v1/ml/train/${encodeURIComponent(id)}`, { method: "DELETE" });
      if (job && job.job_id) upsert(job);
      showError("");
    } catch (err) {
      showError(err.status === 409 ? "That job had already finished." : `Could not cancel: ${err.message}`);
      throw err;
    }
  }

  function addRow(job, { atTop }) {
    const row = makeJobRow(job, { selected: selected.has(job.job_id), onSelect, onCancel });
    rows.set(job.job_id, row);
    if (!atTop) {
      tbody.append(row.el);
      return;
    }
    // Newest first: before the first row created earlier than this job.
    const after = [...rows.values()].find((r) => r !== row && (r.job.created_at || "") < (job.created_at || ""));
    tbody.insertBefore(row.el, after ? after.el : null);
  }

  // A job pushed by the stream older than the last loaded page belongs to a page not yet
  // fetched; "Load more" will bring it in its place.
  function withinLoaded(job) {
    if (!nextToken) return true;
    const oldest = [...rows.values()].reduce((m, r) => ((r.job.created_at || "") < m ? r.job.created_at : m), "\uffff");
    return (job.created_at || "") >= oldest;
  }

  function upsert(job) {
    const row = rows.get(job.job_id);
    if (row) {
      // A buffered event can be older than the fetched row: never move a finished job back.
      if (TERMINAL.includes(row.job.status) && !TERMINAL.includes(job.status)) return;
      row.update({ ...row.job, ...job });
    } else if (matches(filters, job) && withinLoaded(job)) {
      addRow(job, { atTop: true });
      refreshChrome();
    }
  }

  function apply(event) {
    if (!event || !event.job_id) return;
    if (buffer) {
      buffer.push(event);
      return;
    }
    const { type, ...fields } = event;
    if (type === "status") {
      upsert(fields);
    } else if (type === "progress") {
      const row = rows.get(event.job_id);
      if (!row || TERMINAL.includes(row.job.status)) return;
      const { job_id, history, ...progress } = fields;
      const status = row.job.status === "queued" ? "running" : row.job.status;
      row.update({ ...row.job, status, progress: { ...(row.job.progress || {}), ...progress } });
    }
  }

  async function fetchFirstPage() {
    const generation = ++fetchGeneration;
    buffer = buffer || [];
    showError("");
    try {
      const page = await api(listPath(filters));
      if (disposed || generation !== fetchGeneration) return;
      rows.clear();
      tbody.replaceChildren();
      nextToken = page.next_page_token || null;
      for (const job of page.jobs || []) addRow(job, { atTop: false });
    } catch (err) {
      if (disposed || generation !== fetchGeneration) return;
      showError(`Could not load the jobs: ${err.message}`);
    }
    const held = buffer;
    buffer = null;
    held.forEach(apply);
    refreshChrome();
  }

  async function fetchMore() {
    if (!nextToken) return;
    loadMore.disabled = true;
    const generation = fetchGeneration;
    try {
      const page = await api(listPath(filters, nextToken));
      if (disposed || generation !== fetchGeneration) return;
      nextToken = page.next_page_token || null;
      for (const job of page.jobs || []) if (!rows.has(job.job_id)) addRow(job, { atTop: false });
    } catch (err) {
      showError(`Could not load more jobs: ${err.message}`);
    } finally {
      loadMore.disabled = false;
      refreshChrome();
    }
  }

  function setLive(state, text) {
    live.dataset.state = state;
    live.textContent = text;
  }

  async function connect() {
    buffer = buffer || [];
    setLive("connecting", "connecting…");
    stream = openEvents("/api/v1/ml/events", apply, () => {
      if (disposed) return;
      setLive("off", "reconnecting…");
      reconnectTimer = setTimeout(connect, RECONNECT_MS);
    });
    const open = await stream.opened;
    if (disposed) return;
    if (open) setLive("on", "live");
    await fetchFirstPage();
  }

  function onFilters(next) {
    filters = next;
    const q = filtersToQuery(filters).toString().replace(/%2C/g, ",");
    // replaceState keeps the view (and the name field's focus): no hashchange, no re-render.
    history.replaceState(null, "", "#/jobs" + (q ? "?" + q : ""));
    selected.clear();
    fetchFirstPage();
  }

  const filterSlot = h("div", { class: "filters-slot" });
  let filterBar = makeFilterBar(filters, FALLBACK_ALGORITHMS, onFilters);
  filterSlot.append(filterBar.el);
  api("/api/v1/ml/algorithms")
    .then((answer) => {
      if (disposed) return;
      const names = (answer.algorithms || []).map((a) => a.name);
      if (!names.length) return;
      filterBar.dispose();
      filterBar = makeFilterBar(filters, names, onFilters);
      filterSlot.replaceChildren(filterBar.el);
    })
    .catch(() => {});

  mount(
    root,
    h(
      "div",
      { class: "jobs-view" },
      h(
        "div",
        { class: "page-head" },
        h("h1", {}, "Training jobs"),
        live,
        h("div", { class: "spacer" }),
        compare,
        h("a", { class: "button", href: "#/new", "data-testid": "new-job-link" }, "New job"),
      ),
      h("div", { class: "card toolbar" }, filterSlot, summary),
      notice,
      h("div", { class: "card table-card" }, table),
      h("div", { class: "load-more" }, loadMore),
    ),
  );
  refreshChrome();
  connect();

  // Durations of running jobs count up.
  const ticker = setInterval(() => {
    for (const row of rows.values()) if (row.job.status === "running") row.tick();
  }, 1000);

  return () => {
    disposed = true;
    clearInterval(ticker);
    clearTimeout(reconnectTimer);
    filterBar.dispose();
    if (stream) stream.close();
  };
}
