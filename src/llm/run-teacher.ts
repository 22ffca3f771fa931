// `run:PATH` as a teacher: a trained student compresses docs for generator/compress (the way the
// original project's v2 data was made from raw corpora). Calls are cached like any teacher's; the
// key holds the run's identity — its id, base model, prompt format and a hash of its adapter
// files — so retraining (a new adapter) misses the cache and moving the project does not.
// The compressor (an mlx_lm.server for trainer/mlx) is opened once per run and process and
// reused by every call; it stops when ctxc exits.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { StageContext } from "../sdk/types.ts";
import type { Compressor } from "../compress/types.ts";
import { stoppedError, teacherError } from "./errors.ts";
import type { ModelSpec } from "./model-name.ts";
import type { Answer, Completion, CompletionRequest } from "./types.ts";

/** Bump when the cached answer's shape or the student's call changes. */
const CACHE_VERSION = 1;

interface OpenRun {
  compressor: Compressor;
  identity: Record<string, unknown>;
  /** USD per call is unknown for a paid backend (Tinker): null, as for an unpriced model. */
  free: boolean;
}

const opened = new Map<string, Promise<OpenRun>>();

export function runDir(spec: ModelSpec, root: string): string {
  return resolve(root, spec.model);
}

export async function completeWithRun(ctx: StageContext, spec: ModelSpec, req: CompletionRequest): Promise<Completion> {
  const dir = runDir(spec, ctx.paths.root);
  let run: OpenRun;
  try {
    run = await openRun(dir, ctx.paths.root, req.client?.env);
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    throw teacherError(`${spec.name}: ${(e as Error).message}${hint ? ` (${hint})` : ""}`, e);
  }
  const key = ctx.cache.key({ v: CACHE_VERSION, provider: "run", run: run.identity, input: req.input });
  const hit = ctx.cache.get<Answer>(key);
  if (hit) {
    ctx.costs.record({ model: spec.name, tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, usd: 0, cached: true });
    return { ...hit, teacher: spec.name, cached: true };
  }
  if (ctx.signal.aborted) throw stoppedError("the run is stopping");
  if (ctx.costs.overBudget()) throw stoppedError("the budget ([budget] max_usd) is reached");
  let r;
  try {
    r = await run.compressor.compress(req.input, { signal: ctx.signal });
  } catch (e) {
    if (ctx.signal.aborted) throw stoppedError("the run is stopping");
    throw teacherError(`${spec.name} failed: ${(e as Error).message}`, e);
  }
  const answer: Answer = {
    text: r.compressed,
    model: String(run.identity.id),
    tokensIn: r.tokens_in,
    tokensOut: r.tokens_out,
    cachedIn: 0,
    latencyMs: Math.round(r.ms),
    batch: false,
    usd: run.free ? 0 : null,
  };
  ctx.costs.record({ model: spec.name, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, usd: answer.usd });
  if (!answer.text.trim()) throw teacherError(`${spec.name} returned an empty compression`);
  ctx.cache.set(key, answer);
  return { ...answer, teacher: spec.name, cached: false };
}

function openRun(dir: string, root: string, env?: Record<string, string | undefined>): Promise<OpenRun> {
  let p = opened.get(dir);
  if (!p) {
    p = (async () => {
      const [{ openCompressor }, { readRun }, { studentPrompt }] = await Promise.all([import("../compress/open.ts"), import("../runs/run-file.ts"), import("../compress/student-prompt.ts")]);
      const meta = await readRun(dir);
      const identity = {
        id: meta.id,
        trainer: meta.trainer,
        baseModel: meta.baseModel,
        sampler: meta.samplerPath ?? null,
        prompt: studentPrompt(meta),
        adapter: meta.adapter ? hashPath(resolve(dir, meta.adapter)) : null,
      };
      const compressor = await openCompressor(`run:${dir}`, { root, env });
      return { compressor, identity, free: meta.trainer !== "trainer/tinker" };
    })();
    // A failed open is not kept: the next call (or a re-run) tries again.
    p.catch(() => opened.delete(dir));
    opened.set(dir, p);
  }
  return p;
}

/** SHA-256 over a file, or over a folder's files (name + content, sorted, one level). */
export function hashPath(path: string): string | null {
  if (!existsSync(path)) return null;
  const h = new Bun.CryptoHasher("sha256");
  if (statSync(path).isFile()) return h.update(readFileSync(path)).digest("hex");
  for (const name of readdirSync(path).sort()) {
    const file = join(path, name);
    if (!statSync(file).isFile()) continue;
    h.update(name).update("\u0000").update(readFileSync(file)).update("\u0000");
  }
  return h.digest("hex");
}

/** Stop every run opened as a teacher (their servers also stop when ctxc exits). */
export async function closeRunTeachers(): Promise<void> {
  const runs = [...opened.values()];
  opened.clear();
  await Promise.all(runs.map((p) => p.then((r) => r.compressor.close?.(), () => undefined)));
}

/** Preflight: `run:` models whose folder is not a run (checked before anything is sent). */
export function runProblems(models: Array<{ role: string; name: string }>, root: string): string[] {
  const problems: string[] = [];
  for (const { role, name } of models) {
    if (!name.startsWith("run:")) continue;
    const dir = resolve(root, name.slice(4).trim());
    if (!existsSync(join(dir, "run.json"))) problems.push(`${role} "${name}": ${dir} is not a training run (no run.json); pass a run folder such as models/runs/mlx/<timestamp> (\`ctxc runs list\` shows them)`);
  }
  return problems;
}
