/**
 * `bun build/bench-startup.ts [--entry FILE] [--runs N]`
 *
 * Compiles the CLI for this machine with and without --bytecode and --minify and measures
 * `ctxc --version` wall time (median of N runs, variants interleaved so drift hits all alike).
 * The numbers chose DEFAULTS in build/build.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { median, quantile } from "../bench/_measure.ts";
import { smokeTest } from "./build.ts";
import { compile } from "./compile.ts";
import { readStamp } from "./stamp.ts";
import { DEFAULT_ENTRY, hostTarget } from "./targets.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { entry: { type: "string" }, runs: { type: "string", default: "40" } },
});
const entry = values.entry ? resolve(values.entry) : DEFAULT_ENTRY;
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "ctxc-bench-"));
const stamp = await readStamp();

const variants = [
  { bytecode: false, minify: false },
  { bytecode: false, minify: true },
  { bytecode: true, minify: false },
  { bytecode: true, minify: true },
].map((v) => ({ ...v, label: `bytecode=${v.bytecode ? "on " : "off"} minify=${v.minify ? "on " : "off"}`, path: "", bytes: 0, seconds: 0, times: [] as number[] }));

try {
  for (const v of variants) {
    v.path = join(dir, `ctxc-${v.bytecode}-${v.minify}`);
    const built = await compile({ entry, outfile: v.path, target: hostTarget(), stamp, cross: false, bytecode: v.bytecode, minify: v.minify });
    v.bytes = built.bytes;
    v.seconds = built.seconds;
    smokeTest(v.path, stamp.version);
    for (let i = 0; i < 3; i++) Bun.spawnSync([v.path, "--version"]); // warm the page cache
  }
  for (let i = 0; i < runs; i++) {
    for (const v of variants) {
      const started = Bun.nanoseconds();
      Bun.spawnSync([v.path, "--version"], { stdout: "ignore", stderr: "ignore" });
      v.times.push((Bun.nanoseconds() - started) / 1e6);
    }
  }
  console.log(`ctxc --version start-up, ${runs} runs each, entry ${entry}`);
  for (const v of variants) {
    console.log(
      `  ${v.label}  median ${median(v.times).toFixed(1).padStart(6)} ms  p90 ${quantile(v.times, 0.9).toFixed(1).padStart(6)} ms  ` +
        `size ${(v.bytes / 1048576).toFixed(1)} MB  build ${v.seconds.toFixed(1)} s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
