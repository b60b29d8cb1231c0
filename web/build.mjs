// Builds the web page into one directory that traind serves at `/`:
// index.html, style.css and app.js (our modules and Chart.js, bundled and minified).
// Usage: node build.mjs --outdir DIR
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf("--outdir");
const outdir = path.resolve(at >= 0 ? args[at + 1] : path.join(here, "dist"));

await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [path.join(here, "src/main.js")],
  outfile: path.join(outdir, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  sourcemap: "linked",
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) {
  await copyFile(path.join(here, "src", file), path.join(outdir, file));
}
