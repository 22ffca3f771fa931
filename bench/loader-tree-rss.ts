// Shared by bench/loader-code.ts and bench/loader-markdown.ts: run a command and report its wall
// time, CPU time, and the peak RSS of its whole process tree — the loader and its parser
// processes together (sampled from /proc every 25 ms), plus the largest single process.
import { readdirSync, readFileSync } from "node:fs";

export interface TreeRun {
  wall: number;
  /** User + system seconds of the command and every child it waited for. */
  cpu: number;
  /** Peak of the summed RSS of the command and its descendants, sampled. */
  treeMB: number;
  /** Largest peak RSS of any one process in the tree (from wait4). */
  maxMB: number;
  stdout: string;
}

function rssByParent(): Map<number, { ppid: number; kb: number }> {
  const procs = new Map<number, { ppid: number; kb: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      procs.set(Number(entry), { ppid, kb });
    } catch {
      // gone
    }
  }
  return procs;
}

function treeKb(root: number): number {
  const procs = rssByParent();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += procs.get(pid)?.kb ?? 0;
    for (const [child, p] of procs) if (p.ppid === pid) stack.push(child);
  }
  return total;
}

export async function runTree(cmd: string[]): Promise<TreeRun> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "inherit" });
  let peakKb = 0;
  const timer = setInterval(() => (peakKb = Math.max(peakKb, treeKb(proc.pid))), 25);
  const stdout = await new Response(proc.stdout).text();
  await proc.exited;
  clearInterval(timer);
  const wall = (performance.now() - t0) / 1000;
  if (proc.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited with ${proc.exitCode}`);
  const usage = proc.resourceUsage();
  return {
    wall,
    cpu: usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : 0,
    treeMB: peakKb / 1024,
    maxMB: (usage?.maxRSS ?? 0) / 1024 / 1024,
    stdout,
  };
}

export { median } from "./_measure.ts";

/** The 1-minute load average, to print next to timings taken on a shared machine. */
export const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0]!;
