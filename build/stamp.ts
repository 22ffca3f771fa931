/** What a build is stamped with: version, target and git commit, as --define constants. */
import { REPO_ROOT } from "./targets.ts";

export interface Stamp {
  version: string;
  commit: string;
}

export async function readStamp(root = REPO_ROOT): Promise<Stamp> {
  const pkg = (await Bun.file(`${root}/package.json`).json()) as { version?: string };
  if (!pkg.version) throw new Error(`${root}/package.json has no "version"; add one (e.g. "0.1.0") so builds can be stamped.`);
  return { version: pkg.version, commit: gitCommit(root) };
}

/** Short commit of HEAD, or "unknown" outside a git checkout (e.g. a source tarball). */
function gitCommit(root: string): string {
  try {
    const result = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root, stdout: "pipe", stderr: "ignore" });
    const commit = result.stdout.toString().trim();
    return result.exitCode === 0 && commit ? commit : "unknown";
  } catch {
    return "unknown"; // no git installed
  }
}

/** The --define map; values are JSON string literals, so the source sees plain strings. */
export function defines(stamp: Stamp, bunTarget: string): Record<string, string> {
  return {
    __CTXC_VERSION__: JSON.stringify(stamp.version),
    __CTXC_TARGET__: JSON.stringify(bunTarget),
    __CTXC_COMMIT__: JSON.stringify(stamp.commit),
  };
}
