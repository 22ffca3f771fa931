// The live progress line of a training run, from the shim's events:
//   iter 120/1000 · train 2.314 · val 2.402 · 1,234 tok/s · peak 3.1 GB · ETA 12m05s
// ETA is measured from the iterations done in this process (a resumed run's earlier ones excluded).
import type { ShimEvent } from "../../../src/python/shim.ts";

export class TrainProgress {
  total = 0;
  iteration = 0;
  resumedFrom = 0;
  trainLoss?: number;
  valLoss?: number;
  tokensPerSec?: number;
  peakGb?: number;
  private startedAt = 0;
  private tokensSum = 0;
  private reports = 0;

  /** Feed one event; returns the progress line when it changed, else undefined. */
  update(e: ShimEvent, now = Date.now()): string | undefined {
    if (e.event === "start") {
      this.total = Number(e.total ?? 0);
      this.resumedFrom = this.iteration = Number(e.resumed_from ?? 0);
      this.startedAt = now;
      return undefined;
    }
    if (e.event !== "metric") return undefined;
    const step = Number(e.step ?? 0);
    if (e.split === "train") {
      this.iteration = step;
      this.trainLoss = num(e.loss);
      this.tokensPerSec = num(e.tokens_per_sec);
      this.peakGb = num(e.peak_memory_gb);
      if (this.tokensPerSec !== undefined) {
        this.tokensSum += this.tokensPerSec;
        this.reports++;
      }
    } else if (e.split === "valid") this.valLoss = num(e.loss);
    else return undefined;
    return this.line(now);
  }

  /** Mean of the reported tokens/s (each report covers the same number of iterations). */
  meanTokensPerSec(): number | undefined {
    return this.reports ? this.tokensSum / this.reports : undefined;
  }

  line(now = Date.now()): string {
    const parts = [`iter ${this.iteration}/${this.total || "?"}`];
    if (this.trainLoss !== undefined) parts.push(`train ${this.trainLoss.toFixed(3)}`);
    if (this.valLoss !== undefined) parts.push(`val ${this.valLoss.toFixed(3)}`);
    if (this.tokensPerSec !== undefined) parts.push(`${Math.round(this.tokensPerSec).toLocaleString("en-US")} tok/s`);
    if (this.peakGb !== undefined) parts.push(`peak ${this.peakGb.toFixed(1)} GB`);
    const done = this.iteration - this.resumedFrom;
    if (done > 0 && this.total > this.iteration) {
      const perIter = (now - this.startedAt) / done;
      parts.push(`ETA ${duration(perIter * (this.total - this.iteration))}`);
    }
    return parts.join(" · ");
  }
}

function num(x: unknown): number | undefined {
  return typeof x === "number" && Number.isFinite(x) ? x : undefined;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
