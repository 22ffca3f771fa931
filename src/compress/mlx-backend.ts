// The `mlx` backend: a trainer/mlx run (run.json: baseModel + adapter folder), or an explicit
// `mlx-lm:BASE_MODEL#ADAPTER_DIR` (`mlx-lm:BASE_MODEL` for the bare model), served by the real
// mlx_lm.server that ctxc starts on loopback for the command and stops with it.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { findPython, PYTHON_SETUP_HINT } from "../python/find.ts";
import { chatCompressor } from "./chat-compressor.ts";
import { startMlxServer, MlxServerError, type MlxServer } from "./mlx-server.ts";
import type { OpenContext, OpenTarget } from "./open.ts";
import { studentPrompt } from "./student-prompt.ts";
import { CompressorError, type Compressor } from "./types.ts";
import { describeError } from "../llm/errors.ts";

export const EXPLICIT_PREFIX = "mlx-lm:";

export interface MlxTarget {
  model: string;
  adapter?: string;
  /** The `python` option the run was trained with, if any. */
  python?: string;
}

/** Where the model and adapter are, checked on disk before any process starts. */
export function mlxTarget(target: OpenTarget, root: string): MlxTarget {
  const run = target.run;
  if (run) {
    if (!run.baseModel) throw new CompressorError(`${run.dir}/run.json names no baseModel`, "the run was not written by trainer/mlx; train again");
    const adapter = resolve(run.dir, run.adapter ?? "adapter");
    checkAdapter(adapter, `the run ${run.dir}`);
    const python = typeof run.config?.python === "string" ? run.config.python : undefined;
    return { model: localOrHub(run.baseModel, run.dir), adapter, python };
  }
  const rest = target.spec.slice(EXPLICIT_PREFIX.length);
  const hash = rest.lastIndexOf("#");
  const model = hash >= 0 ? rest.slice(0, hash) : rest;
  if (!model) throw new CompressorError(`"${target.spec}" names no model`, "write mlx-lm:BASE_MODEL#ADAPTER_DIR, e.g. mlx-lm:mlx-community/Qwen3-4B-Instruct-2507-8bit#models/adapter");
  const adapter = hash >= 0 ? resolve(root, rest.slice(hash + 1)) : undefined;
  if (adapter) checkAdapter(adapter, target.spec);
  return { model: localOrHub(model, root), adapter };
}

/** A path that exists (or is written like one) is resolved; anything else is a Hugging Face id. */
function localOrHub(model: string, root: string): string {
  const abs = resolve(root, model);
  if (model.startsWith(".") || model.startsWith("/") || existsSync(abs)) {
    if (!existsSync(abs)) throw new CompressorError(`base model folder not found: ${abs}`, "point baseModel at a model folder or a Hugging Face id such as mlx-community/Qwen3-4B-Instruct-2507-8bit");
    return abs;
  }
  return model;
}

function checkAdapter(dir: string, owner: string): void {
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  const missing = ["adapter_config.json", "adapters.safetensors"].filter((f) => !isDir || !existsSync(join(dir, f)));
  if (missing.length) {
    throw new CompressorError(`${owner}: the adapter is missing (${isDir ? `no ${missing.join(", ")} in` : "no folder"} ${dir})`, "the run may still be training, have failed before saving, or have been moved; `ctxc runs list` shows usable runs");
  }
}

export async function open(target: OpenTarget, ctx: OpenContext): Promise<Compressor> {
  const t = mlxTarget(target, ctx.root);
  const { python } = findPython({ option: t.python, env: ctx.env, root: ctx.root });
  let server: MlxServer;
  try {
    server = await startMlxServer({ python, model: t.model, adapter: t.adapter, env: ctx.env, signal: ctx.signal });
  } catch (e) {
    if (e instanceof MlxServerError) throw new CompressorError(`${target.spec}: ${e.message}`, e.hint ?? PYTHON_SETUP_HINT);
    throw e;
  }
  const compressor = chatCompressor({
    spec: target.run ? `mlx:${target.run.dir}` : target.spec,
    kind: "mlx",
    baseURL: `${server.url}/v1`,
    model: t.model,
    prompt: studentPrompt(target.run),
    extraBody: server.selectBody,
    async explain(e) {
      // A server that crashed drops the connection a moment before its exit is reported.
      await Promise.race([server.exited, Bun.sleep(1000)]);
      if (!server.alive()) return new CompressorError(`${target.spec}: the model server stopped during the command — ${server.exitReport()}`, "its last lines above say why; out of memory (a large model or long inputs) is a common cause");
      return new CompressorError(`${target.spec}: mlx_lm.server failed: ${describeError(e)}`);
    },
    close: () => server.stop(),
  });
  // The server's pid and URL, for `ctxc serve`'s /v1/models and for tests that check shutdown.
  return Object.assign(compressor, { server: { pid: server.pid, url: server.url } });
}
