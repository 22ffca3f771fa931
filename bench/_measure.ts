// Shared by the benchmarks: run a command, report wall time and peak RSS. The peak comes from the
// kernel's rusage after exit (wait4), so it covers the whole lifetime even of an 18 ms process,
// which polling /proc missed. Bun's Subprocess.resourceUsage().maxRSS is in bytes (checked against
// VmHWM: a 218,300 kB child reported 223,436,800), unlike process.resourceUsage().maxRSS (kB).
export interface Measured {
  seconds: number;
  peakRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

export async function measure(cmd: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Measured> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const peakRssMb = (p.resourceUsage()?.maxRSS ?? 0) / 1048576;
  return { seconds: (performance.now() - t0) / 1000, peakRssMb, code, stdout, stderr };
}

/** The true median (mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The p-quantile by nearest rank below (p90 = quantile(xs, 0.9)). */
export function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}
