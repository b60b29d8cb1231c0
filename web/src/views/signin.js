// Sign-in: the API key is checked against the API and kept for this browser session only.
import { api, setApiKey } from "../api.js";
import { h } from "../dom.js";

export function render(root, { query }) {
  const input = h("input", {
    type: "password",
    id: "api-key",
    name: "api_key",
    autocomplete: "off",
    placeholder: "tdk_…",
    "data-testid": "signin-key",
    required: true,
  });
  const error = h("p", { class: "error", "data-testid": "signin-error", hidden: true });
  const form = h(
    "form",
    { class: "card signin", "data-testid": "signin-form" },
    h("h1", {}, "Sign in"),
    h("label", { for: "api-key" }, "API key"),
    input,
    h("p", { class: "hint" }, "The key is kept for this browser session only."),
    error,
    h("button", { type: "submit", "data-testid": "signin-submit" }, "Sign in"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    setApiKey(input.value.trim());
    try {
      await api("/api/v1/ml/train?limit=1");
      location.hash = query.get("next") || "#/jobs";
    } catch (err) {
      setApiKey("");
      error.textContent = err.status === 401 ? "This key is unknown or revoked." : err.message;
      error.hidden = false;
    }
  });
  root.append(form);
  input.focus();
}
