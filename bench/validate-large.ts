// `ctxc validate` on pipeline files full of unknown keys (in one stage, and at the top level), and
// with a syntax error at the very end: wall time and peak RSS per size. Issue 13 measured 22 s for
// 1 MB and 72 s for 2 MB (Bun.TOML.parse is quadratic in a table's keys, and the old syntax-error
// locator re-parsed every prefix); the time should now grow linearly with the size.
// Run: bun bench/validate-large.ts [sizes in MB, default 0.25 0.5 1 2]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure } from "./_measure.ts";

const MAIN = resolve(import.meta.dir, "../src/cli/main.ts");
const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ["0.25", "0.5", "1", "2"]).map(Number);
const dir = mkdtempSync(join(tmpdir(), "ctxc-bench-validate-"));

function fill(head: string, line: (i: number) => string, bytes: number, tail = ""): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length;
  }
  return parts.join("") + tail;
}

const STAGE = '[[stages]]\nuse = "loader/jsonl"\npaths = ["x.jsonl"]\n';
const shapes: Record<string, (bytes: number) => string> = {
  "stage keys": (b) => fill(`name = "q"\n${STAGE}`, (i) => `unknown_key_${i} = ${i}\n`, b),
  "top-level keys": (b) => fill('name = "q"\n', (i) => `top_unknown_${i} = ${i}\n`, b, STAGE),
  "syntax error at the end": (b) => fill(`name = "q"\n${STAGE}`, (i) => `k${i} = ${i}\n`, b, "broken = \n"),
};

console.log("shape                     MB    seconds  peak RSS MB  exit");
for (const [shape, make] of Object.entries(shapes)) {
  for (const mb of sizes) {
    const file = join(dir, "p.toml");
    writeFileSync(file, make(mb * 1024 * 1024));
    const m = await measure([process.execPath, MAIN, "validate", file]);
    console.log(`${shape.padEnd(24)} ${mb.toFixed(2).padStart(5)}  ${m.seconds.toFixed(2).padStart(8)}  ${m.peakRssMb.toFixed(0).padStart(11)}  ${m.code}`);
  }
}
