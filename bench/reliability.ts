// What the reliability guarantees cost (docs/reliability.md): re-hashing a stage's out.jsonl
// before it is skipped (outputIntact), and a small `ctxc run` (every stage skipped: mostly start-up,
// lock and manifest check) under its supervisor process versus directly (CTXC_SUPERVISED=1 makes
// main.ts skip the supervisor).
// Usage: bun bench/reliability.ts [MB=200]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { outputIntact } from "../src/core/manifest.ts";
import { JsonlWriter } from "../src/text/jsonl.ts";
import { measure, median } from "./_measure.ts";

const mb = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(join(tmpdir(), "ctxc-bench-rel-"));
try {
  const w = new JsonlWriter(join(dir, "out.jsonl"));
  const text = "lorem ipsum dolor sit amet ".repeat(40);
  let i = 0;
  while (i * (text.length + 60) < mb * 1048576) w.write({ id: String(i++), text, domain: "nl", scores: {}, meta: {} });
  const outputHash = await w.commit();
  const entry = { label: "x", use: "x", plugin: "x", version: "1", fingerprint: "", inputHash: "", outputHash, status: "done" as const, seconds: 0, finished: "" };
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    if (!(await outputIntact(join(dir, "out.jsonl"), entry))) throw new Error("hash mismatch");
    times.push((performance.now() - t0) / 1000);
  }
  const size = Bun.file(join(dir, "out.jsonl")).size / 1048576;
  console.log(`outputIntact: ${size.toFixed(0)} MB (${i} docs) in ${median(times).toFixed(3)} s median of 5 = ${(size / median(times)).toFixed(0)} MB/s`);

  await Bun.write(join(dir, "small.jsonl"), '{"text":"one small doc"}\n');
  await Bun.write(join(dir, "p.toml"), 'name = "b"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["small.jsonl"]\n');
  const main = join(import.meta.dir, "../src/cli/main.ts");
  await measure([process.execPath, main, "run", "p.toml", "-q"], { cwd: dir });
  for (const [label, env] of [["run (all skipped), supervised", {}], ["run (all skipped), direct", { CTXC_SUPERVISED: "1" }]] as const) {
    const runs: number[] = [];
    for (let r = 0; r < 7; r++) runs.push((await measure([process.execPath, main, "run", "p.toml", "-q"], { cwd: dir, env })).seconds);
    console.log(`${label}: ${(median(runs) * 1000).toFixed(0)} ms median of 7`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
