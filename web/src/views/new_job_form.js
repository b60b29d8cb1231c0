// The new-job form's fields, each bound to a JSON Pointer of the training configuration.
// readConfig() assembles the configuration from the fields the person set (plus whatever
// a pasted configuration carried that the form has no field for); fill() does the reverse.
import { h, mount } from "../dom.js";
import { algorithmCatalog, findAlgorithm } from "../form/algorithm_catalog.js";
import { columnSelect, featureChecklist } from "../form/column_controls.js";
import { controlFor, hintFor } from "../form/controls.js";
import { field, inputAttrs } from "../form/field.js";
import { deleteAt, getAt, setAt } from "../form/pointer.js";

const PRIMARY_HYPERPARAMETERS = 6;
const FORECAST_FIELDS = ["horizon", "frequency", "interval_width", "seasonal_period"];
const TASK_LABELS = { nlp: "nlp (text classification)" };

function defaultStrategy(task) {
  if (task === "forecasting") return "time";
  return task === "classification" || task === "nlp" ? "stratified" : "random";
}

// A select that always has a value (algorithm, task): no "default" choice.
function requiredSelect(attrs) {
  const el = h("select", attrs);
  return {
    el,
    read: () => ({ set: el.value !== "", value: el.value }),
    write(v) {
      if (v === undefined) return;
      if (![...el.options].some((o) => o.value === v)) el.append(h("option", { value: v }, v));
      el.value = v;
    },
    setChoices(values, labels = {}) {
      const keep = el.value;
      el.replaceChildren(...values.map((v) => h("option", { value: v }, labels[v] || v)));
      if (values.includes(keep)) el.value = keep;
    },
  };
}

function queryControl(attrs) {
  const el = h("textarea", { ...attrs, rows: 3, spellcheck: "false", placeholder: "SELECT * FROM schema.table" });
  return {
    el,
    read: () => (el.value.trim() ? { set: true, value: el.value.trim() } : { set: false }),
    write(v) {
      el.value = v === undefined || v === null ? "" : String(v);
    },
  };
}

// The table a query reads and, for a plain column list, the columns it returns.
export function columnsOfQuery(query, tables) {
  const from = /\bfrom\s+([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)/i.exec(query || "");
  if (!from) return null;
  const name = from[1].toLowerCase();
  const table = tables.find((t) => t.name.toLowerCase() === name || t.table.toLowerCase() === name);
  if (!table) return null;
  const list = /^\s*select\s+([\s\S]+?)\s+from\s/i.exec(query);
  const picked = list ? list[1].split(",").map((s) => s.trim()) : ["*"];
  if (picked.length === 1 && picked[0] === "*") return { table, columns: table.columns };
  const byName = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  const columns = picked.map((p) => byName.get(p.toLowerCase()));
  return { table, columns: columns.every(Boolean) ? columns : table.columns };
}

// The configuration's keys in the order the seed writes them (the JSON tab shows this).
const KEY_ORDER = [
  "name",
  "experiment_name",
  "description",
  "algorithm",
  "task_type",
  "dataset",
  "target_column",
  "feature_columns",
  "time_column",
  "series_column",
  "forecast",
  "split",
  "hyperparameters",
];

export function inReadingOrder(config) {
  const rank = (k) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  const keys = Object.keys(config).sort((a, b) => rank(a) - rank(b));
  const ordered = Object.fromEntries(keys.map((k) => [k, config[k]]));
  if (ordered.dataset) {
    const { source, query, ...rest } = ordered.dataset;
    ordered.dataset = { source, query, ...rest };
    if (query === undefined) delete ordered.dataset.query;
  }
  return ordered;
}

export function makeJobForm({ schema, algorithms, tables }) {
  const catalog = algorithmCatalog(schema, algorithms);
  const props = schema.properties || {};
  const bound = new Map(); // path → {control, wrapper}; read in insertion order
  let extras = {}; // what a pasted configuration had that no field shows
  const listeners = [];

  function bind(path, label, control, opts = {}) {
    const wrapper = field(path, label, control, opts);
    bound.set(path, { control, wrapper });
    return wrapper;
  }
  const changed = () => listeners.forEach((f) => f());

  // Basics
  const algorithm = requiredSelect(inputAttrs("/algorithm"));
  algorithm.setChoices(
    catalog.map((a) => a.name),
    Object.fromEntries(catalog.map((a) => [a.name, `${a.name}  (${a.tasks.join(", ")})`])),
  );
  const task = requiredSelect(inputAttrs("/task_type"));
  const algorithmHint = h("p", { class: "hint algorithm-hint" });
  const name = controlFor(props.name || {}, inputAttrs("/name", { placeholder: "" }));
  const experiment = controlFor(props.experiment_name || {}, inputAttrs("/experiment_name"));

  // Data
  const tableSelect = h(
    "select",
    inputAttrs("/dataset", { "data-testid": "dataset-table" }),
    h("option", { value: "" }, tables.length ? "Choose a table…" : "No tables found"),
    tables.map((t) => h("option", { value: t.name }, `${t.name}  (${t.columns.length} columns)`)),
  );
  const query = queryControl(inputAttrs("/dataset/query"));
  const target = columnSelect(inputAttrs("/target_column"), "Choose the column to predict…");
  const features = featureChecklist("/feature_columns", "feature");
  features.el.dataset.testid = "input-feature_columns";
  const timeColumn = columnSelect(inputAttrs("/time_column"), "Choose the time column…");
  const seriesColumn = columnSelect(inputAttrs("/series_column"), "None: one series");
  const columnControls = [target, features, timeColumn, seriesColumn];

  function setColumns(columns) {
    columnControls.forEach((c) => c.setColumns(columns));
  }
  function followQuery() {
    const found = columnsOfQuery(query.el.value, tables);
    tableSelect.value = found ? found.table.name : "";
    setColumns(found ? found.columns : []);
  }
  tableSelect.addEventListener("change", () => {
    const t = tables.find((x) => x.name === tableSelect.value);
    query.write(t ? `SELECT * FROM ${t.name}` : "");
    setColumns(t ? t.columns : []);
    changed();
  });
  query.el.addEventListener("input", followQuery);
  target.el.addEventListener("change", () => features.exclude(target.el.value));

  const featureTools = h(
    "span",
    { class: "field-tools" },
    h("button", { type: "button", class: "link", onclick: () => (features.selectAll(true), changed()) }, "all"),
    h("button", { type: "button", class: "link", onclick: () => (features.selectAll(false), changed()) }, "none"),
  );

  // Split
  const splitProps = (props.split && props.split.properties) || {};
  const strategy = controlFor(splitProps.strategy || { enum: [] }, inputAttrs("/split/strategy"));
  const testSize = controlFor(splitProps.test_size || { type: "number" }, inputAttrs("/split/test_size"));
  const splitSeed = controlFor(splitProps.random_state || { type: "integer" }, inputAttrs("/split/random_state"));

  // Forecast
  const forecastProps = (props.forecast && props.forecast.properties) || {};

  const sections = {
    basics: h(
      "section",
      { class: "card form-section" },
      h("h2", {}, "Job"),
      h(
        "div",
        { class: "grid two" },
        bind("/name", "Name", name, { hint: "Optional; defaults to <algorithm>-<task>." }),
        bind("/experiment_name", "MLflow experiment", experiment, { hint: "Optional; defaults to the job's name." }),
        bind("/algorithm", "Algorithm", algorithm),
        bind("/task_type", "Task", task),
      ),
      algorithmHint,
    ),
    data: h(
      "section",
      { class: "card form-section" },
      h("h2", {}, "Data"),
      h(
        "div",
        { class: "grid two" },
        field("/dataset", "Table", { el: tableSelect }, { hint: "Fills in the query and lists the table's columns." }),
        bind("/target_column", "Target column", target),
      ),
      bind("/dataset/query", "SQL query", query, { hint: "Read-only SQL over your tenant's tables; edit it freely." }),
      bind("/feature_columns", h("span", {}, "Feature columns ", featureTools), features, {
        hint: "None ticked: every column but the target and identifier-like columns.",
      }),
    ),
    forecast: h(
      "section",
      { class: "card form-section", "data-testid": "forecast-section", hidden: true },
      h("h2", {}, "Forecast"),
      h(
        "div",
        { class: "grid three" },
        bind("/time_column", "Time column", timeColumn),
        bind("/series_column", "Series column", seriesColumn, { hint: "Optional: one model per value." }),
        FORECAST_FIELDS.filter((k) => forecastProps[k]).map((k) =>
          bind(
            `/forecast/${k}`,
            k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()),
            controlFor(forecastProps[k], inputAttrs(`/forecast/${k}`)),
            { hint: hintFor(forecastProps[k]) },
          ),
        ),
      ),
    ),
    split: h(
      "section",
      { class: "card form-section" },
      h("h2", {}, "Train / test split"),
      h(
        "div",
        { class: "grid three" },
        bind("/split/strategy", "Strategy", strategy),
        bind("/split/test_size", "Test size", testSize, {
          hint: hintFor({ ...splitProps.test_size, default: undefined }),
        }),
        bind("/split/random_state", "Random state", splitSeed, { hint: "Seed of the split's shuffle." }),
      ),
    ),
    hyper: h("section", { class: "card form-section", "data-path": "/hyperparameters" }),
  };

  // Hyperparameters: rebuilt for each algorithm; values of the same name carry over.
  let hyperPaths = [];
  function drawHyperparameters(entry) {
    const carried = {};
    for (const p of hyperPaths) {
      const r = bound.get(p).control.read();
      if (r.set) carried[p] = r.value;
      bound.delete(p);
    }
    hyperPaths = [];
    const fields = (entry ? entry.hyperparameters : []).map((hp) => {
      const path = `/hyperparameters/${hp.name}`;
      const control = controlFor(hp.schema, inputAttrs(path));
      if (path in carried) control.write(carried[path]);
      hyperPaths.push(path);
      return bind(path, hp.name, control, { hint: hintFor(hp.schema), className: "hyper" });
    });
    const more = fields.slice(PRIMARY_HYPERPARAMETERS);
    const setMore = more.filter((f) => bound.get(f.dataset.path).control.read().set).length;
    mount(
      sections.hyper,
      h("h2", {}, "Hyperparameters"),
      h("p", { class: "hint section-hint" }, "Empty fields keep the default shown in grey; only what you set is sent."),
      h("div", { class: "grid three" }, fields.slice(0, PRIMARY_HYPERPARAMETERS)),
      more.length
        ? h(
            "details",
            { class: "more", open: setMore > 0 },
            h("summary", {}, `${more.length} more hyperparameters`),
            h("div", { class: "grid three" }, more),
          )
        : null,
    );
  }

  function onAlgorithm() {
    const entry = findAlgorithm(catalog, algorithm.el.value);
    task.setChoices(entry ? entry.tasks : [], TASK_LABELS);
    algorithmHint.textContent = entry ? entry.description : "";
    delete extras.hyperparameters;
    drawHyperparameters(entry);
    onTask();
  }
  function onTask() {
    const forecasting = task.el.value === "forecasting";
    sections.forecast.hidden = !forecasting;
    strategy.el.options[0].textContent = `default (${defaultStrategy(task.el.value)})`;
    name.el.placeholder = `${algorithm.el.value}-${task.el.value === "nlp" ? "classification" : task.el.value}`;
  }
  algorithm.el.addEventListener("change", onAlgorithm);
  task.el.addEventListener("change", onTask);
  onAlgorithm();

  const el = h("div", { class: "job-form" }, Object.values(sections));
  el.addEventListener("input", changed);
  el.addEventListener("change", changed);

  // The forecast fields are sent only for a forecasting job (their section is shown).
  function active(path) {
    return !sections.forecast.hidden || !sections.forecast.contains(bound.get(path).wrapper);
  }

  return {
    el,
    onChange: (f) => listeners.push(f),

    // → {config, problems: [{path, message}]} (problems the page can tell without the server)
    readConfig() {
      const config = structuredClone(extras);
      setAt(config, "/dataset/source", getAt(extras, "/dataset/source") || "sql");
      const problems = [];
      for (const [path, { control }] of bound) {
        if (!active(path)) continue;
        const r = control.read();
        if (r.error) problems.push({ path, message: r.error });
        else if (r.set) setAt(config, path, r.value);
      }
      return { config: inReadingOrder(config), problems };
    },

    fill(config) {
      const entry = findAlgorithm(catalog, config.algorithm);
      algorithm.write(entry ? entry.name : config.algorithm);
      onAlgorithm();
      task.write(config.task_type);
      onTask();
      query.write(getAt(config, "/dataset/query"));
      followQuery();
      for (const [path, { control }] of bound) {
        if (path === "/algorithm" || path === "/task_type") continue;
        control.write(getAt(config, path));
      }
      features.exclude(target.read().value);
      features.write(config.feature_columns);
      drawHyperparameters(entry);
      for (const p of hyperPaths) bound.get(p).control.write(getAt(config, p));
      drawHyperparameters(entry); // opens "more" when a value landed there
      // Remember the rest: sent as it came, shown only in the JSON tab.
      extras = structuredClone(config);
      for (const path of bound.keys()) deleteAt(extras, path);
      deleteAt(extras, "/dataset/source");
    },
  };
}
