// Process checks for tests that prove nothing is left running (servers, shims, parser processes).
import { readFileSync } from "node:fs";

/** Running (not a zombie)? A parent killed with SIGKILL leaves its children to init to reap. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // no /proc (macOS): signal 0 reached it
  }
}
