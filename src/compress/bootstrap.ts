// Paired bootstrap confidence intervals for A/B comparisons of compressors on the same rows.
// Seeded (mulberry32), so the same rows and seed always give the same interval: reports are
// reproducible and tests can pin them.
import { mulberry32 } from "../text/random.ts";

/** The seeded PRNG the intervals use (src/text/random.ts). */
export const seededRandom = mulberry32;

export interface Interval {
  /** Rows the estimate rests on. */
  n: number;
  mean: number;
  /** 95% percentile-bootstrap interval of the mean. */
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  iterations?: number;
  seed?: number;
  /** Two-sided level; default 0.95. */
  level?: number;
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

/** The mean of `xs` with its percentile-bootstrap interval. Empty input gives NaN bounds. */
export function bootstrapMean(xs: number[], opts: BootstrapOptions = {}): Interval {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, lo: NaN, hi: NaN };
  const iterations = opts.iterations ?? 2000;
  const level = opts.level ?? 0.95;
  const rand = seededRandom(opts.seed ?? 42);
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rand() * n)]!;
    means[b] = s / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => means[Math.min(iterations - 1, Math.max(0, Math.floor(q * iterations)))]!;
  return { n, mean: mean(xs), lo: at(tail), hi: at(1 - tail) };
}

export interface PairedDifference extends Interval {
  /** The interval excludes 0: the two compressors differ on this measure at the given level. */
  significant: boolean;
}

/**
 * Mean of b[i] − a[i] over the rows where both are numbers, with its bootstrap interval:
 * resampling whole rows keeps each row's pairing, so per-row difficulty cancels out.
 */
export function pairedDifference(a: Array<number | null>, b: Array<number | null>, opts: BootstrapOptions = {}): PairedDifference {
  if (a.length !== b.length) throw new Error(`paired samples differ in length (${a.length} vs ${b.length})`);
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    diffs.push(y - x);
  }
  const ci = bootstrapMean(diffs, opts);
  return { ...ci, significant: ci.n > 1 && (ci.lo > 0 || ci.hi < 0) };
}

/** The q-quantile (0..1) of numbers by linear interpolation; NaN for none. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
