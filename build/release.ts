/**
 * `bun run release [--entry FILE]`: builds every target, then writes
 * build/release/ctxc-<version>-<target>.tar.gz (each holding one executable `ctxc`) and
 * SHA256SUMS in `sha256sum` format, so `sha256sum -c SHA256SUMS` checks a download.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BuildError } from "./build-error.ts";
import { buildAll } from "./build.ts";
import type { Stamp } from "./stamp.ts";
import { RELEASE_DIR, type Target } from "./targets.ts";
import { tarGz } from "./tar.ts";

export interface Artifact {
  target: string;
  path: string;
  bytes: number;
  sha256: string;
}

export function artifactName(version: string, target: Target): string {
  return `ctxc-${version}-${target.name}.tar.gz`;
}

/** Packs the binaries and writes SHA256SUMS; earlier archives in `outDir` are removed first. */
export async function packageRelease(binaries: { target: Target; path: string }[], stamp: Stamp, outDir = RELEASE_DIR): Promise<Artifact[]> {
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) {
    if (old === "SHA256SUMS" || /^ctxc-.*\.tar\.gz$/.test(old)) rmSync(join(outDir, old));
  }
  const artifacts: Artifact[] = [];
  for (const { target, path } of binaries) {
    const archive = tarGz([{ name: "ctxc", bytes: await Bun.file(path).bytes(), mode: 0o755 }], stamp.time);
    const out = join(outDir, artifactName(stamp.version, target));
    await Bun.write(out, archive);
    artifacts.push({ target: target.name, path: out, bytes: archive.byteLength, sha256: new Bun.CryptoHasher("sha256").update(archive).digest("hex") });
  }
  const sums = artifacts.map((a) => `${a.sha256}  ${a.path.slice(outDir.length + 1)}\n`).join("");
  await Bun.write(join(outDir, "SHA256SUMS"), sums);
  return artifacts;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({ args: Bun.argv.slice(2), options: { entry: { type: "string" } } });
  // buildAll smoke-tests every binary this machine can run before anything is packed.
  const { binaries, stamp } = await buildAll({ hostOut: null, ...(values.entry ? { entry: resolve(values.entry) } : {}) });
  const artifacts = await packageRelease(binaries, stamp);
  for (const a of artifacts) {
    console.log(`  ${relative(process.cwd(), a.path).padEnd(48)} ${(a.bytes / 1048576).toFixed(1).padStart(6)} MB  sha256 ${a.sha256.slice(0, 16)}…`);
  }
  console.log(`  ${relative(process.cwd(), join(RELEASE_DIR, "SHA256SUMS"))}`);
  console.log(`release ${stamp.version} (commit ${stamp.commit}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.main) {
  main().catch((error) => {
    console.error(`release failed: ${error instanceof BuildError ? error.message : (error?.stack ?? error)}`);
    process.exitCode = 1;
  });
}
