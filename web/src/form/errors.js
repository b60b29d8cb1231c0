// Puts the API's validation errors (details[{path, message}]) where the person looks: at
// the field whose data-path is the error's JSON Pointer, or its nearest ancestor field
// (/feature_columns/3 lands on the feature list), else in the summary list.

function fieldFor(scope, pointer) {
  let p = pointer || "";
  while (p) {
    const el = scope.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    p = p.slice(0, p.lastIndexOf("/"));
  }
  return null;
}

function errorSlot(fieldEl) {
  let slot = [...fieldEl.children].find((c) => c.dataset.testid === "field-error");
  if (!slot) {
    slot = document.createElement("div");
    slot.className = "field-error";
    slot.dataset.testid = "field-error";
    slot.setAttribute("role", "alert");
    fieldEl.append(slot);
  }
  return slot;
}

export function clearErrors(scope, summary) {
  scope.querySelectorAll('[data-testid="field-error"]').forEach((e) => e.remove());
  scope.querySelectorAll(".has-error").forEach((e) => e.classList.remove("has-error"));
  summary.replaceChildren();
  summary.hidden = true;
}

// Clears the error shown at one field (when the person edits it).
export function clearFieldError(fieldEl) {
  const slot = [...fieldEl.children].find((c) => c.dataset.testid === "field-error");
  if (slot) slot.remove();
  fieldEl.classList.remove("has-error");
}

// Shows every detail; returns the first field that got one (to scroll to), or null.
export function showErrors(scope, details, summary) {
  let first = null;
  for (const d of details) {
    const at = fieldFor(scope, d.path);
    if (!at) {
      const li = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = d.path || "/";
      li.append(code, " ", d.message);
      summary.append(li);
      summary.hidden = false;
      continue;
    }
    const line = document.createElement("div");
    line.textContent = at.dataset.path === d.path ? d.message : `${d.path}: ${d.message}`;
    errorSlot(at).append(line);
    at.classList.add("has-error");
    for (let p = at.parentElement; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    first = first || at;
  }
  return first;
}
