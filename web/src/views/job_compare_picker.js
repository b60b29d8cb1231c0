// The compare page without jobs in its address: the tenant's finished jobs with a tick box
// each, and a Compare button once two or more are ticked.
import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { num, time } from "../format.js";
import { metricLabel } from "./job_tables.js";

const HEADLINE = ["auc_roc", "accuracy", "r2", "rmse", "mape"];

export function renderPicker(root, preselected = []) {
  const picked = new Set(preselected);
  const tbody = h("tbody", {}, h("tr", {}, h("td", { colspan: 6, class: "hint" }, "Loading finished jobs…")));
  const count = h("span", { class: "hint" });
  const go = h("button", { type: "button", "data-testid": "compare-submit", disabled: true }, "Compare");
  go.addEventListener("click", () => {
    location.hash = "#/compare?jobs=" + [...picked].map(encodeURIComponent).join(",");
  });
  const refresh = () => {
    go.disabled = picked.size < 2;
    count.textContent = picked.size ? `${picked.size} selected` : "Tick two or more jobs";
  };
  refresh();
  mount(
    root,
    h(
      "section",
      { class: "card cp-picker jp-page", "data-testid": "compare-picker" },
      h(
        "div",
        { class: "cp-picker-head" },
        h(
          "div",
          {},
          h("h2", {}, "Compare runs"),
          h(
            "p",
            { class: "hint" },
            "Pick finished jobs to see their metrics, hyperparameters and curves side by side.",
          ),
        ),
        h("div", { class: "cp-picker-go" }, count, go),
      ),
      h(
        "table",
        { class: "jp-table cp-pick-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["", "Name", "Algorithm", "Task", "Headline metric", "Finished"].map((c) => h("th", {}, c)),
          ),
        ),
        tbody,
      ),
    ),
  );
  api("/api/v1/ml/train?status=completed&limit=200").then(
    (answer) => {
      const jobs = answer?.jobs || [];
      if (!jobs.length) {
        mount(tbody, h("tr", {}, h("td", { colspan: 6, class: "hint" }, "No finished jobs yet.")));
        return;
      }
      mount(
        tbody,
        jobs.map((job) => {
          const box = h("input", {
            type: "checkbox",
            "data-testid": `compare-pick-${job.job_id}`,
            checked: picked.has(job.job_id),
            "aria-label": `Compare ${job.name}`,
          });
          box.addEventListener("change", () => {
            if (box.checked) picked.add(job.job_id);
            else picked.delete(job.job_id);
            refresh();
          });
          const key = HEADLINE.find((k) => Number.isFinite(job.metrics?.[k]));
          return h(
            "tr",
            {},
            h("td", { class: "cp-pick" }, box),
            h(
              "td",
              {},
              h("a", { class: "job-link", href: `#/jobs/${encodeURIComponent(job.job_id)}` }, job.name),
              h("div", { class: "jp-id" }, job.job_id),
            ),
            h("td", {}, job.algorithm),
            h("td", {}, job.task_type),
            h("td", { class: "num" }, key ? `${metricLabel(key)} ${num(job.metrics[key])}` : "–"),
            h("td", {}, time(job.finished_at)),
          );
        }),
      );
    },
    (e) => mount(tbody, h("tr", {}, h("td", { colspan: 6, class: "error" }, `Could not list jobs: ${e.message}`))),
  );
}
