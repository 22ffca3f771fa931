// Runner overhead: N small docs from JSONL through three no-op filters to the output, with the
// ctxc CLI (source, or ./ctxc when built). Prints records/s and peak RSS for N and 10×N.
//   bun bench/runner.ts [N=100000] [--source]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { measure } from "./_measure.ts";

const REPO = resolve(import.meta.dir, "..");
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const dir = join(REPO, "bench/out/runner");
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, "data"), { recursive: true });

await Bun.write(join(dir, "noop.ts"), 'import { defineFilter } from "ctxc";\nexport default defineFilter({ name: "filter/noop", version: "1", filter: (doc) => doc });\n');

async function writeDocs(n: number, path: string) {
  const w = Bun.file(path).writer();
  for (let i = 0; i < n; i++) w.write(`{"id":"d${i}","text":"small document number ${i} for the runner benchmark","domain":"nl"}\n`);
  await w.end();
}

const bin = !process.argv.includes("--source") && (await Bun.file(join(REPO, "ctxc")).exists()) ? [join(REPO, "ctxc")] : [process.execPath, join(REPO, "src/cli/main.ts")];
console.log(`runner overhead: loader/jsonl → 3 × no-op filter, ${bin.length === 1 ? "compiled ./ctxc" : "from source"}`);
for (const n of [N, N * 10]) {
  const file = join(dir, `data/docs-${n}.jsonl`);
  await writeDocs(n, file);
  const toml = join(dir, `p-${n}.toml`);
  await Bun.write(toml, `name = "bench"\nout = "runs/${n}"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/docs-${n}.jsonl"]\n` + '\n[[stages]]\nuse = "./noop.ts"\nname = "noop-a"\n\n[[stages]]\nuse = "./noop.ts"\nname = "noop-b"\n\n[[stages]]\nuse = "./noop.ts"\nname = "noop-c"\n');
  const m = await measure([...bin, "run", toml, "--quiet", "--json"], { cwd: dir });
  if (m.code !== 0) throw new Error(`run failed (${m.code}): ${m.stderr}`);
  const summary = JSON.parse(m.stdout);
  const out = summary.stages.at(-1).out;
  if (out !== n) throw new Error(`expected ${n} docs out, got ${out}`);
  console.log(`  ${n.toLocaleString()} docs: ${m.seconds.toFixed(2)} s wall, ${Math.round(n / m.seconds).toLocaleString()} records/s, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
  rmSync(join(dir, `runs/${n}`), { recursive: true, force: true });
  rmSync(file, { force: true });
}
