// Shared by the benchmarks: run a command, report wall time and peak RSS (VmHWM from /proc,
// sampled while it runs, so it covers the whole process lifetime).
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
  let peakKb = 0;
  const sample = async () => {
    try {
      const status = await Bun.file(`/proc/${p.pid}/status`).text();
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {}
  };
  const timer = setInterval(sample, 20);
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearInterval(timer);
  return { seconds: (performance.now() - t0) / 1000, peakRssMb: peakKb / 1024, code, stdout, stderr };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
