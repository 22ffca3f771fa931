import { describe, expect, test } from "bun:test";
import { bootstrapMean, pairedDifference, quantile, seededRandom } from "../../src/compress/bootstrap.ts";

describe("bootstrap", () => {
  test("seeded: same input and seed give the same interval; another seed another one", () => {
    const xs = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + i / 10);
    expect(bootstrapMean(xs, { seed: 7 })).toEqual(bootstrapMean(xs, { seed: 7 }));
    expect(bootstrapMean(xs, { seed: 7 }).lo).not.toBe(bootstrapMean(xs, { seed: 8 }).lo);
  });
  test("the interval holds the mean and narrows with more rows", () => {
    const rand = seededRandom(1);
    const small = Array.from({ length: 20 }, () => rand());
    const large = Array.from({ length: 2000 }, () => rand());
    const a = bootstrapMean(small);
    const b = bootstrapMean(large);
    expect(a.lo).toBeLessThanOrEqual(a.mean);
    expect(a.hi).toBeGreaterThanOrEqual(a.mean);
    expect(b.hi - b.lo).toBeLessThan(a.hi - a.lo);
    expect(b.mean).toBeGreaterThan(b.lo);
  });
  test("paired: a constant shift is significant, noise around zero is not", () => {
    const rand = seededRandom(3);
    const a = Array.from({ length: 100 }, () => rand());
    const shifted = a.map((x) => x + 0.1 + (rand() - 0.5) * 0.01);
    const d = pairedDifference(a, shifted);
    expect(d.n).toBe(100);
    expect(d.mean).toBeCloseTo(0.1, 2);
    expect(d.significant).toBe(true);
    const noise = a.map((x) => x + (rand() - 0.5) * 0.2);
    const z = pairedDifference(a, noise, { seed: 5 });
    expect(z.lo).toBeLessThan(0);
    expect(z.hi).toBeGreaterThan(0);
    expect(z.significant).toBe(false);
  });
  test("paired: rows where either side is missing are left out; unequal lengths throw", () => {
    expect(pairedDifference([1, null, 3], [2, 5, null]).n).toBe(1);
    expect(() => pairedDifference([1], [1, 2])).toThrow(/length/);
  });
  test("quantile interpolates", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.95)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
