// The confusion matrix as a heat map: rows are true classes, columns predicted ones, in
// `metrics.labels` order (API.md). A cell's shade is its share of its true class (the row),
// so a small class's errors show as clearly as a large one's; the count and share are written in it.
import { h } from "../dom.js";
import { num } from "../format.js";

export function confusionMatrix(metrics) {
  const m = metrics?.confusion_matrix;
  if (!Array.isArray(m) || !m.length) return null;
  const labels =
    Array.isArray(metrics.labels) && metrics.labels.length === m.length ? metrics.labels : m.map((_, i) => String(i));
  const total = m.flat().reduce((a, b) => a + b, 0);
  const head = h(
    "tr",
    {},
    h("th", { class: "jp-cm-corner" }, h("span", {}, "true ↓ / predicted →")),
    labels.map((l) => h("th", { scope: "col", class: "jp-cm-label" }, l)),
    h("th", { scope: "col", class: "jp-cm-label num" }, "recall"),
  );
  const rows = m.map((row, r) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    return h(
      "tr",
      {},
      h("th", { scope: "row", class: "jp-cm-label" }, labels[r]),
      row.map((count, c) => {
        const share = rowTotal ? count / rowTotal : 0;
        const base = r === c ? "47,111,237" : "198,40,40";
        return h(
          "td",
          {
            class: "jp-cm-cell" + (share > 0.55 ? " dark" : ""),
            "data-testid": "confusion-cell",
            "data-row": String(r),
            "data-col": String(c),
            "data-count": String(count),
            title: `true ${labels[r]}, predicted ${labels[c]}: ${count} (${num(100 * share, 1)}% of the true class)`,
            style: { background: `rgba(${base},${(0.06 + 0.84 * share).toFixed(3)})` },
          },
          h("b", {}, num(count)),
          h("small", {}, `${num(100 * share, 1)}%`),
        );
      }),
      h("td", { class: "num jp-cm-recall" }, rowTotal ? num(row[r] / rowTotal, 3) : "–"),
    );
  });
  const predicted = labels.map((_, c) => m.reduce((a, row) => a + row[c], 0));
  const precision = h(
    "tr",
    {},
    h("th", { scope: "row", class: "jp-cm-label" }, "precision"),
    labels.map((_, c) => h("td", { class: "num jp-cm-recall" }, predicted[c] ? num(m[c][c] / predicted[c], 3) : "–")),
    h("td", {}),
  );
  return h(
    "section",
    { class: "card jp-confusion" },
    h("h3", {}, "Confusion matrix"),
    h(
      "p",
      { class: "hint" },
      `${num(total)} test rows. Shade: share of the true class; blue on the diagonal (correct), red off it.`,
    ),
    h(
      "table",
      { class: "jp-cm", "data-testid": "confusion-matrix" },
      h("thead", {}, head),
      h("tbody", {}, rows, precision),
    ),
  );
}
