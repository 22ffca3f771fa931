// The heuristic filters on real teacher pairs (the original project's v1 set, which passed its
// own validation): the default chain keeps at least 95% of them. Then each kind of corruption is
// injected into copies of the kept pairs and must be caught by exactly one filter, the intended
// one, with the intended reason — every other filter keeps the corrupted pair.
import { beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { isReject } from "../../../src/sdk/doc.ts";
import type { Doc, FilterPlugin, Reject } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { loadPairs, pairsAvailable } from "./_pairs.ts";

const NAMES = ["length", "dedup", "strip-artifacts", "sanitize", "ratio", "notation"] as const;
type Name = (typeof NAMES)[number];

const plugins = Object.fromEntries(
  await Promise.all(NAMES.map(async (n) => [n, (await import(`../../../plugins/filters/${n}.ts`)).default as FilterPlugin<any>])),
) as Record<Name, FilterPlugin<any>>;
const defaults = Object.fromEntries(NAMES.map((n) => [n, v.parse(plugins[n].options as any, {})])) as Record<Name, any>;

/** One stage run per filter, in pipeline order (pre-generation filters first), as the runner does. */
async function chain(docs: Doc[]) {
  const ctxs = Object.fromEntries(NAMES.map((n) => [n, testContext({ name: plugins[n].name })]));
  const table: Record<string, { kept: number; rejected: Record<string, number> }> = {};
  const kept: Doc[] = [];
  for (const input of docs) {
    let doc: Doc | undefined = input;
    for (const n of NAMES) {
      const row = (table[n] ??= { kept: 0, rejected: {} });
      const out: Doc | Reject = await plugins[n].filter(doc, defaults[n], ctxs[n]!);
      if (isReject(out)) {
        row.rejected[out.reason] = (row.rejected[out.reason] ?? 0) + 1;
        doc = undefined;
        break;
      }
      row.kept++;
      doc = out;
    }
    if (doc) kept.push(doc);
  }
  return { kept, table };
}

// ---- corruptions -----------------------------------------------------------------------------

const FILLER = " In more detail, each point above is restated here with every step spelled out at length for the reader's convenience.";
const NEGATION_FLIPS: Array<[RegExp, string]> = [
  [/\bnever\b/gi, "always"], [/\bnone\b/gi, "some"], [/\bnothing\b/gi, "something"], [/\bnobody\b/gi, "somebody"],
  [/\bnowhere\b/gi, "somewhere"], [/\bwithout\b/gi, "with"], [/\bw\/o\b/gi, "w/"], [/\bcannot\b/gi, "can"], [/n['’]t\b/gi, ""],
  [/\bneither\b/gi, "either"], [/\bnor\b/gi, "or"], [/\bnot\b\s*/gi, ""], [/\bno\b/gi, "some"], [/\bnon-/gi, ""], [/\bsans\b/gi, "with"],
  [/\black(s|ing)?\b/gi, "has"], [/\babsent\b/gi, "present"], [/\bexcluding\b/gi, "including"], [/\bexcept\b/gi, "plus"],
  [/\bunlike\b/gi, "like"], [/\bfail(s|ed)?\b/gi, "succeeds"], [/[¬~!✗]/g, ""], [/≠/g, "="], [/∉/g, "∈"], [/∄/g, "∃"],
];
const NEGATED = /\b(?:not|no|never|neither|nor|none|nothing|nobody|nowhere|without|cannot)\b|n['’]t\b/gi;

interface Corruption {
  name: string;
  /** The filter that must catch it, and how: a rejection reason, or "repaired" (strip-artifacts). */
  by: Name;
  reason: string;
  applies(doc: Doc): boolean;
  corrupt(doc: Doc): Doc;
}

const withCompressed = (doc: Doc, compressed: string): Doc => ({ ...doc, compressed, scores: {}, meta: {} });
// Corruptions that add text keep clear of the expansion bound, so only the intended filter fires.
const headroom = (doc: Doc, tokens: number) => doc.scores.tokens_compressed! + tokens < doc.scores.tokens_original!;

const CORRUPTIONS: Corruption[] = [
  {
    name: "<think> block",
    by: "strip-artifacts",
    reason: "repaired",
    applies: () => true,
    corrupt: (d) => withCompressed(d, `<think>\nThe user wants the key facts only. Let me keep the numbers.\n</think>\n\n${d.compressed}`),
  },
  { name: "echoed label", by: "strip-artifacts", reason: "repaired", applies: () => true, corrupt: (d) => withCompressed(d, `**Compressed:**\n${d.compressed}`) },
  {
    name: "expansion",
    by: "ratio",
    reason: "expansion",
    applies: () => true,
    corrupt: (d) => {
      let text = d.compressed!;
      for (let added = 0; d.scores.tokens_compressed! + added <= d.scores.tokens_original!; added += 22) text += FILLER;
      return withCompressed(d, text);
    },
  },
  {
    name: "dropped negations",
    by: "notation",
    reason: "negation_dropped",
    applies: (d) => d.domain !== "code" && (d.text.match(NEGATED) ?? []).length >= defaults.notation.negation_min,
    corrupt: (d) => withCompressed(d, NEGATION_FLIPS.reduce((s, [re, by]) => s.replace(re, by), d.compressed!)),
  },
  {
    name: "dropped numbers",
    by: "notation",
    reason: "number_dropped",
    applies: (d) => d.domain !== "code" && /\d\d/.test(d.text),
    corrupt: (d) => withCompressed(d, d.compressed!.replace(/[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[.,][\d⁰¹²³⁴⁵⁶⁷⁸⁹]+)*/g, "some")),
  },
  {
    name: "doubled symbol",
    by: "notation",
    reason: "doubled_symbol",
    applies: (d) => /→| \| /.test(d.compressed!) && headroom(d, 2),
    corrupt: (d) => withCompressed(d, d.compressed!.includes("→") ? d.compressed!.replace("→", "→ →") : d.compressed!.replace(" | ", " | | ")),
  },
  { name: "orphan symbol line", by: "notation", reason: "orphan_symbol", applies: (d) => headroom(d, 2), corrupt: (d) => withCompressed(d, `${d.compressed}\n|\n`) },
  { name: "empty output", by: "sanitize", reason: "empty", applies: () => true, corrupt: (d) => withCompressed(d, "") },
  {
    name: "refusal",
    by: "sanitize",
    reason: "refusal",
    applies: (d) => headroom(d, 25),
    corrupt: (d) => withCompressed(d, `I'm sorry, but I can't help with all of it. Here is what I can offer:\n${d.compressed}`),
  },
  {
    name: "control chars",
    by: "sanitize",
    reason: "control_chars",
    applies: (d) => headroom(d, 4),
    corrupt: (d) => withCompressed(d, /\s/.test(d.compressed!) ? d.compressed!.replace(/\s/, "$&\u0007") : `${d.compressed}\u0007`),
  },
  { name: "prompt echo", by: "sanitize", reason: "prompt_echo", applies: (d) => headroom(d, 4), corrupt: (d) => withCompressed(d, `Compress:\n${d.compressed}`) },
];

// A fresh single-doc stage per verdict: a shallow copy of one context is a new stage to
// filter/dedup (its state is keyed by the ctx object) without building a new store each time.
const baseCtx = testContext();
const freshCtx = () => ({ ...baseCtx });

/** Every filter's verdict on one corrupted doc, each as a fresh single-doc stage. */
async function verdicts(doc: Doc): Promise<Record<Name, string>> {
  const out = {} as Record<Name, string>;
  // The post-generation filters see what strip-artifacts hands on, as in the chain.
  const strip = await plugins["strip-artifacts"].filter(structuredClone(doc), defaults["strip-artifacts"], freshCtx());
  const stripped = isReject(strip) ? doc : strip;
  for (const n of NAMES) {
    const input = n === "strip-artifacts" ? doc : stripped;
    const r: Doc | Reject = n === "strip-artifacts" ? strip : await plugins[n].filter(structuredClone(input), defaults[n], freshCtx());
    out[n] = isReject(r) ? r.reason : n === "strip-artifacts" && r.compressed !== doc.compressed ? "repaired" : "kept";
  }
  return out;
}

describe.skipIf(!pairsAvailable())("heuristic filters on the v1 real pairs", () => {
  let docs: Doc[] = [];
  let clean: Awaited<ReturnType<typeof chain>>;
  beforeAll(async () => {
    docs = loadPairs();
    clean = await chain(docs);
  });

  test("the default chain keeps at least 95% (per-filter counts printed)", () => {
    console.log(`\nreal pairs: ${docs.length}, kept by the chain ${clean.kept.length} (${((100 * clean.kept.length) / docs.length).toFixed(1)}%)`);
    for (const n of NAMES) console.log(`  filter/${n.padEnd(16)} kept ${String(clean.table[n]!.kept).padStart(5)}  rejected ${JSON.stringify(clean.table[n]!.rejected)}`);
    expect(docs.length).toBe(1978);
    expect(clean.kept.length / docs.length).toBeGreaterThanOrEqual(0.95);
    // strip-artifacts unwraps the fence v1's teachers put around code answers.
    expect(clean.kept.filter((d) => (d.meta.stripped as string[] | undefined)?.includes("fence")).length).toBeGreaterThan(600);
  });

  for (const c of CORRUPTIONS) {
    test(`corruption "${c.name}" is caught by filter/${c.by} (${c.reason}) and by no other filter`, async () => {
      const base = clean.kept.filter((d) => c.applies(d));
      expect(base.length).toBeGreaterThan(50);
      const wrong: string[] = [];
      for (const doc of base) {
        const got = await verdicts(c.corrupt(doc));
        const want = Object.fromEntries(NAMES.map((n) => [n, n === c.by ? c.reason : "kept"]));
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${doc.source.path}:${doc.source.unit} ${JSON.stringify(got)}`);
      }
      console.log(`  ${c.name.padEnd(20)} ${base.length - wrong.length}/${base.length} caught by filter/${c.by} alone`);
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  }

  test("a <think> block is rejected (think_block) when strip-artifacts is set to reject", async () => {
    const o = v.parse(plugins["strip-artifacts"].options as any, { think: "reject" });
    for (const d of clean.kept.slice(0, 200)) {
      const r = await plugins["strip-artifacts"].filter(CORRUPTIONS[0]!.corrupt(d), o, testContext());
      expect(isReject(r) && r.reason).toBe("think_block");
    }
  });

  test("repaired corruptions give back the clean answer exactly", async () => {
    for (const c of CORRUPTIONS.filter((x) => x.reason === "repaired")) {
      for (const d of clean.kept.slice(0, 300)) {
        const r = (await plugins["strip-artifacts"].filter(c.corrupt(d), defaults["strip-artifacts"], testContext())) as Doc;
        expect(r.compressed).toBe(d.compressed!);
      }
    }
  });

  test("exact and near-duplicate originals are caught by filter/dedup alone", async () => {
    const long = clean.kept.filter((d) => d.text.split(/\s+/).length >= 60).slice(0, 300);
    const copies = long.flatMap((d, i) => [
      { ...d, id: `${d.id}-copy`, source: { ...d.source, path: `copy-${i}` } },
      // Near copy: the same unit with its last word cut (a re-crawled, slightly different version).
      { ...d, id: `${d.id}-near`, text: d.text.trimEnd().replace(/\s*\S+$/, "") },
    ]);
    const ctx = testContext();
    const results = [];
    for (const d of [...clean.kept, ...copies]) results.push(await plugins.dedup.filter(d, defaults.dedup, ctx));
    const reasons = results.map((r) => (isReject(r) ? r.reason : "kept"));
    expect(reasons.slice(0, clean.kept.length).every((r) => r === "kept")).toBe(true);
    expect(reasons.slice(clean.kept.length)).toEqual(copies.map((_, i) => (i % 2 ? "near_duplicate" : "duplicate")));
    console.log(`  duplicates           ${copies.length}/${copies.length} caught by filter/dedup (${long.length} exact, ${long.length} near)`);
    // Every other filter keeps the copies: they are clean pairs.
    for (const d of copies.slice(0, 60)) {
      const got = await verdicts(d);
      expect({ ...got, dedup: "kept" }).toEqual({ length: "kept", dedup: "kept", "strip-artifacts": "kept", sanitize: "kept", ratio: "kept", notation: "kept" });
    }
  });
});
