// Peak RSS of loader/jsonl on a file with one huge single-line row
// between two normal rows, through `ctxc run` (issue 13 measured 14.7 GB for a 200 MB row). With
// max_row_bytes (16 MiB by default) the row is skipped as it streams by.
// Run: bun bench/jsonl-long-row.ts [row size in MB, default 200]
import { mkdtempSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure } from "./_measure.ts";

const MAIN = resolve(import.meta.dir, "../src/cli/main.ts");
const mb = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(join(tmpdir(), "ctxc-bench-longrow-"));
const fd = openSync(join(dir, "docs.jsonl"), "w");
writeSync(fd, '{"text":"a first normal row of text"}\n{"text":"');
const block = "x".repeat(1024 * 1024);
for (let i = 0; i < mb; i++) writeSync(fd, block);
writeSync(fd, '"}\n{"text":"a last normal row of text"}\n');
closeSync(fd);
await Bun.write(join(dir, "pipeline.toml"), 'name = "long"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["docs.jsonl"]\n');
const m = await measure([process.execPath, MAIN, "run", "pipeline.toml", "--json"], { cwd: dir });
const stats = await Bun.file(join(dir, "ws/01-loader-jsonl/stats.json")).json();
console.log(`row ${mb} MB: exit ${m.code}, ${m.seconds.toFixed(2)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB, ${stats.out} docs out, counters ${JSON.stringify(stats.stats)}`);
