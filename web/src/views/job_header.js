// The job page's header: what the job is (name, id, algorithm, task), where it stands
// (status badge, times) and, while it can still be stopped, a Cancel button.
import { h } from "../dom.js";
import { duration, time } from "../format.js";

export const TERMINAL = ["completed", "failed", "cancelled"];

export function makeHeader(job, { onCancel }) {
  const title = h("h1", { class: "jp-title", "data-testid": "job-name" });
  const badge = h("span", { "data-testid": "job-status" });
  const idText = h("code", { class: "jp-id", "data-testid": "job-id" });
  const facts = h("dl", { class: "jp-facts" });
  const error = h("p", { class: "jp-cancel-error error", hidden: true });
  const cancel = h("button", { type: "button", class: "danger", "data-testid": "job-cancel" }, "Cancel job");
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    error.hidden = true;
    try {
      await onCancel();
    } catch (e) {
      error.textContent = `Could not cancel: ${e.message}`;
      error.hidden = false;
      cancel.disabled = false;
    }
  });
  const compare = h("a", { class: "button secondary", "data-testid": "job-compare", href: "#/compare" }, "Compare…");
  const el = h(
    "header",
    { class: "card jp-header" },
    h("div", { class: "jp-header-main" }, h("div", { class: "jp-title-row" }, title, badge), idText, facts),
    h("div", { class: "jp-header-actions" }, cancel, compare, error),
  );

  function update(next) {
    job = { ...job, ...next };
    title.textContent = job.name || job.job_id;
    badge.className = `badge badge-${job.status} jp-badge`;
    badge.textContent = job.status;
    badge.dataset.status = job.status;
    idText.textContent = job.job_id;
    const running = job.started_at && !job.finished_at ? (Date.now() - Date.parse(job.started_at)) / 1000 : null;
    const took =
      job.started_at && job.finished_at ? (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000 : running;
    facts.replaceChildren(
      ...fact("Algorithm", job.algorithm, "job-algorithm"),
      ...fact("Task", job.task_type, "job-task"),
      ...fact("Created", time(job.created_at)),
      ...fact("Started", time(job.started_at)),
      ...fact("Finished", time(job.finished_at)),
      ...fact(
        job.finished_at ? "Wall time" : "Running for",
        took === null ? "–" : took < 10 ? `${took.toFixed(1)}s` : duration(took),
      ),
    );
    cancel.hidden = TERMINAL.includes(job.status);
    compare.hidden = job.status !== "completed";
    compare.href = `#/compare?with=${encodeURIComponent(job.job_id)}`;
  }
  update(job);
  return { el, update };
}

function fact(label, value, testid) {
  return [h("dt", {}, label), h("dd", testid ? { "data-testid": testid } : {}, value ?? "–")];
}
