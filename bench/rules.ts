// generator/rules throughput and ratios over the shared v1 pairs (../shared/data/compression-layer-v1),
// code and prose rows separately, repeated R times so the timing covers megabytes. Also the
// domain classifier's throughput. Ratios are means over rows of compressed/original, in
// characters and in o200k_base / qwen3 tokens (the student's tokenizer).
//   bun bench/rules.ts [R=20]
import * as v from "valibot";
import plugin from "../plugins/generators/rules.ts";
import { makeDoc } from "../src/sdk/doc.ts";
import type { Doc, Domain, StageContext } from "../src/sdk/types.ts";
import { classifyDomain } from "../src/text/classify.ts";
import { tokenCounter } from "../src/text/tokens.ts";
import { sharedOriginals } from "../test/text/rules/_pairs.ts";

const R = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
const rows = sharedOriginals();
// The domain a loader would give each row (the classifier agrees with CPython on all of them).
const docs = rows.map((r) => makeDoc({ text: r.original, domain: classifyDomain(r.original), source: { path: `${r.file}:${r.line}` } }));
const ctx = {} as StageContext; // generator/rules uses nothing from ctx

const OPTION_SETS: Array<[string, Record<string, unknown>]> = [
  ["defaults", {}],
  ["indent=one", { indent: "one" }],
  ["drop_articles", { drop_articles: true }],
  ["keep comments+docstrings", { strip_comments: false, strip_docstrings: false }],
];

const counters = { o200k: tokenCounter("o200k_base"), qwen3: tokenCounter("qwen3") };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

console.log(`generator/rules over ${docs.length} shared rows × ${R}`);
for (const [label, o] of OPTION_SETS) {
  const opts = v.parse(plugin.options!, o);
  for (const domain of ["code", "nl"] as Domain[]) {
    const set = docs.filter((d) => d.domain === domain);
    const outs = set.map((d) => (plugin.generate(structuredClone(d), opts, ctx) as Doc).compressed!);
    const chars = set.reduce((a, d) => a + d.text.length, 0);
    const t0 = performance.now();
    for (let r = 0; r < R; r++) for (const d of set) plugin.generate({ ...d, scores: {}, meta: {} }, opts, ctx);
    const sec = (performance.now() - t0) / 1000;
    const ratio = (f: (s: string) => number) => mean(set.map((d, i) => f(outs[i]!) / Math.max(1, f(d.text))));
    console.log(
      `${label.padEnd(26)} ${domain.padEnd(4)} rows=${set.length} char_ratio=${ratio((s) => s.length).toFixed(3)} ` +
        `o200k_ratio=${ratio(counters.o200k).toFixed(3)} qwen3_ratio=${ratio(counters.qwen3).toFixed(3)} ` +
        `${((chars * R) / sec / 1e6).toFixed(2)} M chars/s (${((set.length * R) / sec).toFixed(0)} docs/s)`,
    );
  }
}

const all = docs.map((d) => d.text);
const chars = all.reduce((a, t) => a + t.length, 0);
const t0 = performance.now();
for (let r = 0; r < R; r++) for (const t of all) classifyDomain(t);
const sec = (performance.now() - t0) / 1000;
console.log(`classifyDomain: ${((chars * R) / sec / 1e6).toFixed(2)} M chars/s (${((all.length * R) / sec).toFixed(0)} docs/s)`);
