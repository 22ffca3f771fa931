// Progress of a running segment of stages: a live line on a TTY (done/total, rate, ETA, spend),
// plain periodic lines otherwise. Written to stderr; silent under --quiet or --json.
import type { StageRun } from "./stage-run.ts";

export interface ProgressOptions {
  enabled: boolean;
  total?: number;
  spent: () => number;
  tty?: boolean;
  intervalMs?: number;
}

export class Progress {
  private timer?: ReturnType<typeof setInterval>;
  private readonly start = performance.now();
  private readonly tty: boolean;
  private lastPlain = 0;

  constructor(
    private readonly runs: StageRun[],
    private readonly opts: ProgressOptions,
  ) {
    this.tty = opts.tty ?? Boolean(process.stderr.isTTY);
  }

  begin(): void {
    if (!this.opts.enabled) return;
    this.timer = setInterval(() => this.render(), this.tty ? 200 : 1000);
    this.timer.unref?.();
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.opts.enabled && this.tty) process.stderr.write("\r\x1b[2K");
  }

  line(): string {
    const secs = (performance.now() - this.start) / 1000;
    const first = this.runs[0]!;
    const done = first.stage.plugin.kind === "loader" ? first.counts.out : first.counts.in;
    const rate = secs > 0 ? done / secs : 0;
    const total = this.opts.total;
    const parts = this.runs.map((r) => `${r.stage.label} ${fmt(r.counts.out)}`);
    let s = `${parts.join(" → ")} | ${fmt(done)}${total ? `/${fmt(total)}` : ""} docs, ${fmt(Math.round(rate))}/s`;
    if (total && rate > 0 && done < total) s += `, ETA ${Math.ceil((total - done) / rate)}s`;
    const usd = this.opts.spent();
    if (usd > 0) s += `, $${usd.toFixed(2)} spent`;
    return s;
  }

  private render(): void {
    if (this.tty) {
      const cols = process.stderr.columns ?? 120;
      process.stderr.write(`\r\x1b[2K${this.line().slice(0, cols - 1)}`);
    } else if (performance.now() - this.lastPlain >= (this.opts.intervalMs ?? 10_000)) {
      this.lastPlain = performance.now();
      process.stderr.write(`${this.line()}\n`);
    }
  }
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
