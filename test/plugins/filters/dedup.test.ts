import { describe, expect, test } from "bun:test";
import plugin from "../../../plugins/filters/dedup.ts";
import { isReject } from "../../../src/sdk/doc.ts";
import type { Doc, Reject } from "../../../src/sdk/types.ts";
import { estimateJaccard, minhashSignature } from "../../../src/text/minhash.ts";
import { shingleHashes } from "../../../src/text/shingles.ts";
import { testContext } from "../../helpers/context.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, parse } from "./_run.ts";

testFilterConformance(plugin, {});

const BASE =
  "The committee met on Tuesday to review the annual budget of the town. It approved the new library wing, postponed the pool " +
  "repairs until spring, and asked the treasurer to report on the parking revenue, which has fallen for three consecutive years " +
  "since the new garage opened downtown next to the railway station and the old market hall.";

/** Runs docs through one dedup stage (one ctx), as the runner does: once per doc, in order. */
function stage(docs: Doc[], options: Record<string, unknown> = {}): Array<Doc | Reject> {
  const ctx = testContext({ name: plugin.name });
  const o = parse(plugin, options);
  return docs.map((d) => plugin.filter(d, o, ctx) as Doc | Reject);
}

const reasons = (results: Array<Doc | Reject>) => results.map((r) => (isReject(r) ? r.reason : "kept"));

describe("filter/dedup", () => {
  test("exact copies (modulo whitespace) and near copies are dropped; the first is kept", () => {
    const nearCopy = `${BASE} Minutes follow.`;
    const results = stage([pair(BASE, undefined), pair(`  ${BASE.replace(/ /g, "  ")}\n`, undefined), pair(nearCopy, undefined), pair("A different text entirely, about rivers and the sea and boats.", undefined)]);
    expect(reasons(results)).toEqual(["kept", "duplicate", "near_duplicate", "kept"]);
    const first = results[0] as Doc;
    expect((results[1] as Reject).detail).toBe(`same text as ${first.id}`);
    expect((results[2] as Reject).detail).toContain(first.id);
  });

  test("works on the original alone (before generation) and ignores formatting", () => {
    const code = "def add(a, b):\n    # sum two numbers and return the result to the caller\n    return a + b\n";
    const reformatted = "def add(a,b):  # sum two numbers and return the result to the caller\n  return a+b";
    expect(reasons(stage([pair(code, undefined, "code"), pair(reformatted, undefined, "code")]))).toEqual(["kept", "near_duplicate"]);
  });

  test("threshold and near=false", () => {
    // Rewrite every 8th word: still similar, but below a strict threshold.
    const edited = BASE.split(" ").map((w, i) => (i % 8 === 0 ? `${w}x` : w)).join(" ");
    const sim = estimateJaccard(minhashSignature(shingleHashes(BASE, 5), 256), minhashSignature(shingleHashes(edited, 5), 256));
    expect(sim).toBeGreaterThan(0.2);
    expect(sim).toBeLessThan(0.8);
    expect(reasons(stage([pair(BASE, undefined), pair(edited, undefined)], { threshold: 0.9 }))).toEqual(["kept", "kept"]);
    expect(reasons(stage([pair(BASE, undefined), pair(BASE.replace("Tuesday", "Friday"), undefined)], { near: false }))).toEqual(["kept", "kept"]);
  });

  test("state is per stage run: two contexts never share what they have seen", () => {
    const o = parse(plugin, {});
    const a = testContext({ name: plugin.name });
    const b = testContext({ name: plugin.name });
    expect(isReject(plugin.filter(pair(BASE, undefined), o, a))).toBe(false);
    expect(isReject(plugin.filter(pair(BASE, undefined), o, b))).toBe(false);
    expect(isReject(plugin.filter(pair(BASE, undefined), o, a))).toBe(true);
  });

  test("MinHash estimates track the true Jaccard similarity", () => {
    const a = new Set(Array.from({ length: 400 }, (_, i) => i * 7919));
    const b = new Set([...a].slice(100).concat(Array.from({ length: 100 }, (_, i) => i * 104729 + 1)));
    const truth = [...a].filter((x) => b.has(x)).length / new Set([...a, ...b]).size;
    expect(Math.abs(estimateJaccard(minhashSignature(a, 256), minhashSignature(b, 256)) - truth)).toBeLessThan(0.08);
  });
});
