// Controls whose choices are the dataset's columns: a single column (target, time,
// series) and the feature checklist. When the table changes they keep what the person
// chose; a chosen column the table lacks stays visible, marked, so nothing typed or pasted
// is silently dropped (the server then says what is wrong with it, at the field).
import { h, mount } from "../dom.js";

function columnLabel(c) {
  return c.declared_type ? `${c.name} · ${c.declared_type.toLowerCase()}` : c.name;
}

export function columnSelect(attrs, emptyLabel) {
  const el = h("select", attrs);
  let columns = [];
  let value = "";
  function draw() {
    const known = columns.some((c) => c.name === value);
    mount(
      el,
      h("option", { value: "" }, emptyLabel),
      columns.map((c) => h("option", { value: c.name }, columnLabel(c))),
      value && !known ? h("option", { value }, `${value} (not in this table)`) : null,
    );
    el.value = value;
  }
  el.addEventListener("change", () => (value = el.value));
  draw();
  return {
    el,
    read: () => (value ? { set: true, value } : { set: false }),
    write(v) {
      value = v === undefined || v === null ? "" : String(v);
      draw();
    },
    setColumns(next) {
      columns = next;
      draw();
    },
  };
}

// Ticked columns in the order they were ticked (the order sent, so an error about
// /feature_columns/<i> finds its item).
export function featureChecklist(path, testidPrefix) {
  const el = h("div", { class: "checklist" });
  let columns = [];
  let chosen = [];
  let excluded = "";
  function draw() {
    const names = columns.map((c) => c.name);
    const extra = chosen.filter((n) => !names.includes(n)).map((name) => ({ name, missing: true }));
    el.replaceChildren(
      ...[...columns, ...extra].map((c) => {
        const at = chosen.indexOf(c.name);
        const box = h("input", {
          type: "checkbox",
          value: c.name,
          checked: at >= 0,
          disabled: c.name === excluded,
          "data-testid": `${testidPrefix}-${c.name}`,
          onchange: (e) => {
            chosen = chosen.filter((n) => n !== c.name);
            if (e.target.checked) chosen.push(c.name);
            renumber();
          },
        });
        return h(
          "label",
          {
            class: "check" + (c.missing ? " missing" : "") + (c.name === excluded ? " excluded" : ""),
            "data-path": at >= 0 ? `${path}/${at}` : undefined,
            title: c.name === excluded ? "The target column" : undefined,
          },
          box,
          h("span", { class: "check-name" }, c.name),
          h("span", { class: "check-type" }, c.missing ? "not in this table" : (c.declared_type || "").toLowerCase()),
        );
      }),
    );
    if (!columns.length && !extra.length) el.append(h("p", { class: "hint" }, "Pick a table to list its columns."));
  }
  // Ticking keeps the boxes (and the keyboard focus) in place; only the paths move.
  function renumber() {
    for (const label of el.querySelectorAll("label.check")) {
      const at = chosen.indexOf(label.querySelector("input").value);
      if (at >= 0) label.dataset.path = `${path}/${at}`;
      else delete label.dataset.path;
    }
  }
  draw();
  return {
    el,
    read: () => (chosen.length ? { set: true, value: [...chosen] } : { set: false }),
    write(v) {
      chosen = Array.isArray(v) ? v.map(String) : [];
      draw();
    },
    setColumns(next) {
      columns = next;
      draw();
    },
    // The target cannot be a feature: its box is greyed out and unticked.
    exclude(name) {
      excluded = name || "";
      chosen = chosen.filter((n) => n !== excluded);
      draw();
    },
    selectAll(on) {
      chosen = on ? columns.map((c) => c.name).filter((n) => n !== excluded) : [];
      draw();
    },
  };
}
