// A labelled form field bound to a JSON Pointer of the configuration. The wrapper carries
// data-path so an API error about that path can be shown right at the input.
import { h } from "../dom.js";
import { dotted } from "./pointer.js";

let counter = 0;

// Attributes for a field's input: an id for its label and a test id from its path.
export function inputAttrs(path, extra = {}) {
  return { id: `f${++counter}-${dotted(path)}`, "data-testid": `input-${dotted(path)}`, ...extra };
}

export function field(path, label, control, { hint, className } = {}) {
  const input = control.el || control;
  return h(
    "div",
    { class: "field" + (className ? " " + className : ""), "data-path": path },
    h("label", { for: input.id || undefined }, label),
    input,
    hint ? h("p", { class: "hint" }, hint) : null,
  );
}
