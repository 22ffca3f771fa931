/** The platforms ctxc ships for, and where each binary goes. */
import { join } from "node:path";

export interface Target {
  /** Short name used in file names: "darwin-arm64". */
  name: string;
  /** Bun's compile target: "bun-darwin-arm64". */
  bunTarget: Bun.Build.CompileTarget;
  /** Mach-O binaries get their code signature verified (and repaired) after compiling. */
  darwin: boolean;
}

export const RELEASE_TARGETS: Target[] = [
  { name: "darwin-arm64", bunTarget: "bun-darwin-arm64", darwin: true },
  { name: "darwin-x64", bunTarget: "bun-darwin-x64", darwin: true },
  { name: "linux-x64", bunTarget: "bun-linux-x64", darwin: false },
];

/** The machine we run on; its binary is compiled from the running Bun, so no runtime download. */
export function hostTarget(): Target {
  const name = `${process.platform}-${process.arch}`;
  return { name, bunTarget: `bun-${name}` as Bun.Build.CompileTarget, darwin: process.platform === "darwin" };
}

export const REPO_ROOT = join(import.meta.dir, "..");
export const DIST_DIR = join(REPO_ROOT, "build", "dist");
export const RELEASE_DIR = join(REPO_ROOT, "build", "release");
export const DEFAULT_ENTRY = join(REPO_ROOT, "src", "cli", "main.ts");

export function distPath(target: Target, dir = DIST_DIR): string {
  return join(dir, `ctxc-${target.name}`);
}
