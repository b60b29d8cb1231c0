// New training job (#/new): a form made from the server's JSON Schema and algorithm list,
// or a whole configuration pasted as JSON. "Validate" asks the server (both validation
// layers) and shows the resolved configuration; only then can it be submitted. Errors
// land at the field their JSON Pointer names, and the person's input stays as it was.
import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { clearErrors, clearFieldError, showErrors } from "../form/errors.js";
import { inReadingOrder, makeJobForm } from "./new_job_form.js";

export function render(root) {
  let disposed = false;
  mount(root, h("p", { class: "muted loading" }, "Loading the configuration schema…"));
  Promise.all([
    api("/api/v1/ml/schema"),
    api("/api/v1/ml/algorithms"),
    api("/api/v1/ml/datasets").catch((err) => ({ tables: [], error: err })),
  ])
    .then(([schema, algorithms, datasets]) => {
      if (!disposed) build(root, schema, algorithms, datasets);
    })
    .catch((err) => {
      if (!disposed) mount(root, h("div", { class: "notice error" }, `Could not load the form: ${err.message}`));
    });
  return () => {
    disposed = true;
  };
}

function build(root, schema, algorithms, datasets) {
  const form = makeJobForm({ schema, algorithms, tables: datasets.tables || [] });
  let mode = "form";
  let validated = null; // the configuration the server accepted, sent as is by Submit
  let busy = false;

  const jsonArea = h("textarea", {
    class: "json-editor",
    rows: 28,
    spellcheck: "false",
    "data-testid": "config-json",
    "aria-label": "Training configuration as JSON",
  });
  const jsonError = h("p", { class: "field-error", "data-testid": "json-error", hidden: true });
  const jsonPane = h(
    "section",
    { class: "card form-section", hidden: true },
    h("h2", {}, "Configuration JSON"),
    h(
      "p",
      { class: "hint section-hint" },
      "Paste or edit a whole configuration; switching back to the form fills the fields from it.",
    ),
    jsonArea,
    jsonError,
  );
  const tabForm = h("button", { type: "button", role: "tab", "data-testid": "tab-form" }, "Form");
  const tabJson = h("button", { type: "button", role: "tab", "data-testid": "tab-json" }, "JSON");

  const validateButton = h("button", { type: "button", "data-testid": "validate-button" }, "Validate");
  const submitButton = h(
    "button",
    { type: "button", class: "go", "data-testid": "submit-button", disabled: true },
    "Submit job",
  );
  const status = h("p", { class: "form-status", "data-testid": "form-status", "aria-live": "polite" });
  const summary = h("ul", { class: "form-errors", "data-testid": "form-errors", hidden: true });
  const resolved = h("pre", { class: "resolved", "data-testid": "resolved-config" });
  const resolvedCard = h(
    "section",
    { class: "card resolved-card", hidden: true },
    h("h2", {}, "Resolved configuration"),
    h("p", { class: "hint" }, "What the job will run with: your settings and every default."),
    resolved,
  );
  const datasetsNotice =
    datasets.error &&
    h(
      "div",
      { class: "notice" },
      `The tables could not be listed (${datasets.error.message}); write the query by hand.`,
    );

  function setStatus(kind, text) {
    status.className = "form-status " + (kind || "");
    status.textContent = text;
  }

  function invalidate() {
    if (busy) return;
    validated = null;
    submitButton.disabled = true;
    resolvedCard.hidden = true;
    if (status.classList.contains("ok")) setStatus("", "Changed since the last validation.");
  }
  form.onChange(invalidate);
  jsonArea.addEventListener("input", () => {
    jsonError.hidden = true;
    invalidate();
  });
  form.el.addEventListener("input", (e) => {
    const at = e.target.closest("[data-path]");
    if (at) clearFieldError(at);
  });

  function parseJson() {
    try {
      const value = JSON.parse(jsonArea.value);
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
      throw new Error("the configuration must be a JSON object");
    } catch (err) {
      jsonError.textContent = `Not a valid configuration: ${err.message}`;
      jsonError.hidden = false;
      return null;
    }
  }

  function switchTo(next) {
    if (next === mode) return true;
    if (next === "json") {
      jsonArea.value = JSON.stringify(form.readConfig().config, null, 2);
      jsonError.hidden = true;
    } else {
      const config = parseJson();
      if (!config) return false;
      form.fill(config);
    }
    mode = next;
    form.el.hidden = mode !== "form";
    jsonPane.hidden = mode !== "json";
    tabForm.setAttribute("aria-selected", String(mode === "form"));
    tabJson.setAttribute("aria-selected", String(mode === "json"));
    return true;
  }
  tabForm.addEventListener("click", () => switchTo("form"));
  tabJson.addEventListener("click", () => switchTo("json"));
  tabForm.setAttribute("aria-selected", "true");
  tabJson.setAttribute("aria-selected", "false");

  // The configuration to send: the JSON as pasted (it also fills the fields, where any
  // error will be shown), or the fields' values.
  function currentConfig() {
    if (mode === "json") {
      const config = parseJson();
      if (!config) return null;
      form.fill(config);
      return { config, problems: [] };
    }
    return form.readConfig();
  }

  function showProblems(details, headline) {
    if (mode === "json") switchTo("form");
    const first = showErrors(form.el, details, summary);
    setStatus("bad", headline);
    if (first) first.scrollIntoView({ block: "center" });
  }

  function handleError(err, doing) {
    if (err.details && err.details.length) {
      const n = err.details.length;
      showProblems(err.details, `${n} problem${n === 1 ? "" : "s"} to fix before the job can run.`);
    } else {
      setStatus("bad", `${doing} failed: ${err.message}`);
    }
  }

  async function run(button, label, work) {
    busy = true;
    validateButton.disabled = true;
    submitButton.disabled = true;
    const text = button.textContent;
    button.textContent = label;
    try {
      await work();
    } finally {
      busy = false;
      button.textContent = text;
      validateButton.disabled = false;
      submitButton.disabled = validated === null;
    }
  }

  async function validate() {
    clearErrors(form.el, summary);
    jsonError.hidden = true;
    const current = currentConfig();
    if (!current) return;
    if (current.problems.length) {
      showProblems(current.problems, "Some fields need a fix before validating.");
      return;
    }
    await run(validateButton, "Validating…", async () => {
      try {
        const answer = await api("/api/v1/ml/train/validate", { method: "POST", body: current.config });
        validated = current.config;
        resolved.textContent = JSON.stringify(inReadingOrder(answer.resolved || {}), null, 2);
        resolvedCard.hidden = false;
        setStatus("ok", "Valid. Check the resolved configuration, then submit.");
      } catch (err) {
        validated = null;
        resolvedCard.hidden = true;
        handleError(err, "Validation");
      }
    });
  }

  async function submit() {
    if (!validated) return;
    await run(submitButton, "Submitting…", async () => {
      try {
        const job = await api("/api/v1/ml/train", { method: "POST", body: validated });
        location.hash = `#/jobs/${encodeURIComponent(job.job_id)}`;
      } catch (err) {
        handleError(err, "Submission");
      }
    });
  }
  validateButton.addEventListener("click", validate);
  submitButton.addEventListener("click", submit);

  mount(
    root,
    h(
      "div",
      { class: "new-job-view" },
      h(
        "div",
        { class: "page-head" },
        h("h1", {}, "New training job"),
        h("div", { class: "tabs", role: "tablist" }, tabForm, tabJson),
      ),
      datasetsNotice,
      h(
        "div",
        { class: "new-job-layout" },
        h("div", { class: "new-job-main" }, form.el, jsonPane),
        h(
          "aside",
          { class: "new-job-side" },
          h(
            "section",
            { class: "card actions-card" },
            h("div", { class: "actions-row" }, validateButton, submitButton),
            status,
            summary,
          ),
          resolvedCard,
        ),
      ),
    ),
  );
  setStatus("", "Validate the configuration to see it resolved, then submit it.");
}
