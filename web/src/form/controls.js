// Inputs made from a JSON Schema property, one per type: numbers with their range,
// booleans and enums as selects (whose first choice, "default", sends nothing), arrays as
// JSON text. Every control leaves an empty value unset, so the configuration carries only
// what the person chose and the server fills in the rest.
//
// A control is {el, read() → {set, value} | {error}, write(value | undefined)}.
import { h } from "../dom.js";

export function typesOf(schema) {
  return [].concat(schema.type || []);
}

// How a default reads in a placeholder or a "default (…)" choice.
export function showValue(v) {
  if (v === null) return "none";
  if (v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

// The allowed range in words: "1 – 100000", "> 0, ≤ 1", "≥ 0".
export function rangeText(schema) {
  const lo = schema.exclusiveMinimum ?? schema.minimum;
  const hi = schema.exclusiveMaximum ?? schema.maximum;
  const parts = [];
  const inclusive = schema.exclusiveMinimum === undefined && schema.exclusiveMaximum === undefined;
  if (lo !== undefined && hi !== undefined && inclusive) return `${lo} – ${hi}`;
  if (lo !== undefined) parts.push(`${schema.exclusiveMinimum !== undefined ? ">" : "≥"} ${lo}`);
  if (hi !== undefined) parts.push(`${schema.exclusiveMaximum !== undefined ? "<" : "≤"} ${hi}`);
  return parts.join(", ");
}

function selectControl(choices, defaultLabel, attrs) {
  // Option values are JSON so that null, true and "true" stay apart.
  const el = h(
    "select",
    attrs,
    h("option", { value: "" }, defaultLabel),
    choices.map((c) => h("option", { value: JSON.stringify(c) }, showValue(c))),
  );
  return {
    el,
    read: () => (el.value === "" ? { set: false } : { set: true, value: JSON.parse(el.value) }),
    write(v) {
      if (v === undefined) {
        el.value = "";
        return;
      }
      const value = JSON.stringify(v);
      if (![...el.options].some((o) => o.value === value)) el.append(h("option", { value }, showValue(v)));
      el.value = value;
    },
  };
}

function numberControl(schema, integer, attrs) {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const el = h("input", { ...attrs, type: "number", step: integer ? "1" : "any", min, max, inputmode: "decimal" });
  return {
    el,
    read() {
      if (el.validity.badInput) return { error: "Enter a number." };
      if (el.value.trim() === "") return { set: false };
      return { set: true, value: Number(el.value) };
    },
    write(v) {
      el.value = v === undefined || v === null ? "" : String(v);
    },
  };
}

// Arrays and values of several types (a number or "auto", say) are typed as JSON; a bare
// word is taken as a string.
function jsonTextControl(schema, attrs, { arrayOnly }) {
  const el = h("input", { ...attrs, type: "text", spellcheck: "false" });
  return {
    el,
    read() {
      const raw = el.value.trim();
      if (raw === "") return { set: false };
      let value;
      try {
        value = JSON.parse(raw);
      } catch {
        if (arrayOnly) return { error: `Enter a JSON array, e.g. ${showValue(schema.default) || "[1, 2]"}.` };
        value = raw;
      }
      if (arrayOnly && !Array.isArray(value) && value !== null) {
        return { error: `Enter a JSON array, e.g. ${showValue(schema.default) || "[1, 2]"}.` };
      }
      return { set: true, value };
    },
    write(v) {
      el.value = v === undefined ? "" : typeof v === "string" && !arrayOnly ? v : JSON.stringify(v);
    },
  };
}

function textControl(attrs) {
  const el = h("input", { ...attrs, type: "text" });
  return {
    el,
    read: () => (el.value.trim() === "" ? { set: false } : { set: true, value: el.value.trim() }),
    write(v) {
      el.value = v === undefined || v === null ? "" : String(v);
    },
  };
}

// The control for `schema`; `attrs` go on the input (id, data-testid, aria-label).
export function controlFor(schema, attrs = {}) {
  const types = typesOf(schema);
  const base = types.find((t) => t !== "null");
  const placeholder = showValue(schema.default);
  const withDefault = schema.default !== undefined ? `default (${placeholder})` : "default";
  if (Array.isArray(schema.enum)) return selectControl(schema.enum, withDefault, attrs);
  if (base === "boolean" && types.length <= 2) return selectControl([true, false], withDefault, attrs);
  if (base === "integer" || base === "number") {
    return numberControl(schema, base === "integer", { ...attrs, placeholder: placeholder || undefined });
  }
  if (base === "array") {
    return jsonTextControl(schema, { ...attrs, placeholder: placeholder || "[…]" }, { arrayOnly: true });
  }
  if (schema.anyOf || types.length > 1) return jsonTextControl(schema, { ...attrs, placeholder }, { arrayOnly: false });
  return textControl({ ...attrs, placeholder: placeholder || undefined });
}

// A short line under an input: the allowed range and what the value means.
export function hintFor(schema) {
  const range = rangeText(schema);
  const anyOf = schema.anyOf
    ? schema.anyOf
        .map((s) => (s.enum ? s.enum.map(showValue).join(" | ") : typesOf(s).join(" | ")))
        .join(" | ")
    : "";
  return [range, anyOf, schema.description].filter(Boolean).join(" · ");
}
