/** One `bun build --compile` through Bun.build's API, with the settings every ctxc binary shares. */
import { statSync } from "node:fs";
import { BuildError } from "./build-error.ts";
import { type Stamp, defines } from "./stamp.ts";
import type { Target } from "./targets.ts";

export interface CompileOptions {
  entry: string;
  outfile: string;
  target: Target;
  stamp: Stamp;
  /** Cross-compile from Bun's downloaded runtime; false = use the running Bun (host builds). */
  cross: boolean;
  bytecode: boolean;
  minify: boolean;
}

export interface Compiled {
  path: string;
  bytes: number;
  seconds: number;
}

export async function compile(options: CompileOptions): Promise<Compiled> {
  const started = performance.now();
  let result: Bun.BuildOutput;
  try {
    result = await Bun.build({
      // One entry: the loaders' parser processes are this same binary (`ctxc __worker NAME`).
      entrypoints: [options.entry],
      compile: {
        ...(options.cross ? { target: options.target.bunTarget } : {}),
        outfile: options.outfile,
        // A user's bunfig.toml (preloads, plugins) must not change how ctxc behaves; .env stays
        // on because API keys come from the environment and Bun reads .env (DESIGN.md).
        autoloadBunfig: false,
      },
      define: defines(options.stamp, options.target.bunTarget),
      // ESM: without it a bytecode build is CommonJS, where dependencies using import.meta fail.
      format: "esm",
      bytecode: options.bytecode,
      minify: options.minify,
      sourcemap: "none",
      throw: false,
    });
  } catch (error) {
    throw new BuildError(`compiling ${options.entry} for ${options.target.bunTarget} failed: ${String(error)}`);
  }
  if (!result.success) {
    const logs = result.logs.map((log) => `  ${String(log)}`).join("\n");
    throw new BuildError(`compiling ${options.entry} for ${options.target.bunTarget} failed:\n${logs}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { path: options.outfile, bytes: statSync(options.outfile).size, seconds };
}
