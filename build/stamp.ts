/** What a build is stamped with: version, target and git commit, as --define constants. */
import { REPO_ROOT } from "./targets.ts";

export interface Stamp {
  version: string;
  commit: string;
  /** Seconds since 1970 of the commit (or SOURCE_DATE_EPOCH): the mtime inside release archives. */
  time: number;
}

export async function readStamp(root = REPO_ROOT): Promise<Stamp> {
  const pkg = (await Bun.file(`${root}/package.json`).json()) as { version?: string };
  if (!pkg.version) throw new Error(`${root}/package.json has no "version"; add one (e.g. "0.1.0") so builds can be stamped.`);
  return { version: pkg.version, commit: git(root, ["rev-parse", "--short", "HEAD"]) ?? "unknown", time: sourceTime(root) };
}

function sourceTime(root: string): number {
  const fromEnv = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const fromGit = Number(git(root, ["log", "-1", "--format=%ct"]));
  return Number.isInteger(fromGit) && fromGit > 0 ? fromGit : Math.floor(Date.now() / 1000);
}

/** Output of a git command, or null outside a git checkout (e.g. a source tarball) or without git. */
function git(root: string, args: string[]): string | null {
  try {
    const result = Bun.spawnSync(["git", ...args], { cwd: root, stdout: "pipe", stderr: "ignore" });
    const out = result.stdout.toString().trim();
    return result.exitCode === 0 && out ? out : null;
  } catch {
    return null;
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
