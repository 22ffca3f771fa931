import { describe, expect, test, setDefaultTimeout } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/generators/rules.ts";
import { makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc, Domain } from "../../../src/sdk/types.ts";
import { DROPPABLE_WORDS, NEGATIONS } from "../../../src/text/rules/phrases.ts";
import { testContext } from "../../helpers/context.ts";
import { testGeneratorConformance } from "../_conformance.ts";
import { sharedOriginals } from "../../text/rules/_pairs.ts";
import { pythonCheck } from "../../text/rules/_python.ts";

// These tests run CPython / a transpiler over whole corpora: minutes on a loaded 2-core machine
// must not read as failures.
setDefaultTimeout(120_000);

testGeneratorConformance(plugin, {});
testGeneratorConformance(plugin, { drop_articles: true, indent: "one", code_blocks: "verbatim" });

const ctx = testContext({ name: plugin.name });
const opts = (o: Record<string, unknown> = {}) => v.parse(plugin.options!, o);

function run(text: string, domain: Domain, o: Record<string, unknown> = {}, source: Doc["source"] = { path: "x" }): string {
  const doc = plugin.generate(makeDoc({ text, domain, source }), opts(o), ctx) as Doc;
  return doc.compressed!;
}

// The shared pairs, each with its CPython ground truth (code when it parses and starts with
// def/class/@): the domain a loader would give them.
const rows = sharedOriginals();
const truth = pythonCheck(rows.map((r) => ({ text: r.original })));
const code = rows.filter((_, i) => truth[i]!.parses && truth[i]!.starts_def);
const prose = rows.filter((_, i) => !(truth[i]!.parses && truth[i]!.starts_def));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("code rows of the shared pairs", () => {
  for (const indent of ["keep", "one"] as const) {
    test(`indent=${indent}: every output parses, with the original's AST minus docstrings`, () => {
      const outs = code.map((r) => run(r.original, "code", { indent }));
      const res = pythonCheck(code.map((r, i) => ({ text: r.original, out: outs[i] })));
      const parses = res.filter((r) => r.out_parses).length;
      const same = res.filter((r) => r.ast_equal).length;
      const ratio = mean(outs.map((o, i) => o.length / code[i]!.original.length));
      console.log(`rules code indent=${indent}: ${parses}/${code.length} parse, ${same}/${code.length} same AST, mean char ratio ${ratio.toFixed(3)}`);
      expect(code.length).toBeGreaterThan(900);
      expect(parses).toBe(code.length);
      expect(same).toBe(code.length);
      expect(ratio).toBeLessThan(0.8);
    });
  }

  test("every identifier of every function signature survives", () => {
    let checked = 0;
    code.forEach((r, i) => {
      const out = run(r.original, "code");
      for (const names of truth[rows.indexOf(r)]!.signatures ?? []) {
        for (const name of names) {
          expect(new RegExp(`(?<![\\w])${name}(?![\\w])`).test(out)).toBe(true);
          checked++;
        }
      }
      void i;
    });
    expect(checked).toBeGreaterThan(3000);
  });

  test("with docstrings and comments kept, the AST is unchanged", () => {
    const sample = code.slice(0, 300);
    const outs = sample.map((r) => run(r.original, "code", { strip_docstrings: false, strip_comments: false }));
    const res = pythonCheck(sample.map((r, i) => ({ text: r.original, out: outs[i], docstrings_kept: true })));
    expect(res.filter((r) => r.ast_equal).length).toBe(sample.length);
    // Comments kept means the comments are all still there.
    sample.forEach((r, i) => {
      for (const m of r.original.matchAll(/^\s*(#.*\S)\s*$/gm)) expect(outs[i]).toContain(m[1]!);
    });
  });
});

// Sentence-initial words are exempt from the name check only if some rule may drop them.
function names(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_'’-])\p{Lu}[\p{L}\p{N}'’-]*/gu)) {
    const gap = /[\s"'“‘(\[]*$/.exec(text.slice(0, m.index))![0];
    const before = text.slice(0, m.index - gap.length);
    const initial = before === "" || gap.includes("\n") || /[.!?:\-*•#]$/.test(before);
    if (initial && DROPPABLE_WORDS.has(m[0].toLowerCase())) continue;
    out.push(m[0]);
  }
  return out;
}

const count = (text: string, word: string) =>
  word === "n't" ? (text.match(/n['’]t\b/g) ?? []).length : (text.match(new RegExp(`(?<![\\p{L}'’-])${word}(?![\\p{L}'’-])`, "giu")) ?? []).length;

describe("prose rows of the shared pairs", () => {
  for (const drop_articles of [false, true]) {
    test(`drop_articles=${drop_articles}: every number, negation and capitalised name survives`, () => {
      const ratios: number[] = [];
      let nameChecks = 0;
      for (const r of prose) {
        const out = run(r.original, "nl", { drop_articles });
        ratios.push(out.length / r.original.length);
        // Numbers: the same digit runs, in the same order.
        expect(out.match(/\d+/g) ?? []).toEqual(r.original.match(/\d+/g) ?? []);
        for (const neg of NEGATIONS) expect(count(out, neg)).toBeGreaterThanOrEqual(count(r.original, neg));
        const have = new Map<string, number>();
        for (const n of names(out)) have.set(n, (have.get(n) ?? 0) + 1);
        const want = new Map<string, number>();
        for (const n of names(r.original)) want.set(n, (want.get(n) ?? 0) + 1);
        for (const [n, k] of want) {
          if ((have.get(n) ?? 0) < k) throw new Error(`${r.file}:${r.line}: name "${n}" lost\n${r.original}\n---\n${out}`);
          nameChecks += k;
        }
      }
      console.log(`rules prose drop_articles=${drop_articles}: ${prose.length} rows, ${nameChecks} names kept, mean char ratio ${mean(ratios).toFixed(3)}`);
      expect(prose.length).toBeGreaterThan(900);
      expect(nameChecks).toBeGreaterThan(20000);
      expect(mean(ratios)).toBeLessThan(drop_articles ? 0.97 : 1);
    });
  }
});

describe("idempotence and determinism", () => {
  test("rules(rules(x)) == rules(x) on every shared row, for each option set", () => {
    for (const o of [{}, { drop_articles: true, indent: "one" }, { strip_comments: false, strip_docstrings: false }]) {
      rows.forEach((r, i) => {
        const domain: Domain = truth[i]!.parses && truth[i]!.starts_def ? "code" : "nl";
        const once = run(r.original, domain, o);
        expect(run(once, domain, o)).toBe(once);
      });
    }
  });

  test("the same input gives the same output, and the doc is enriched as documented", async () => {
    const a = makeDoc({ text: prose[0]!.original, domain: "nl", source: { path: "p" } });
    const x = (await plugin.generate(structuredClone(a), opts(), ctx)) as Doc;
    const y = (await plugin.generate(structuredClone(a), opts(), ctx)) as Doc;
    expect(x).toEqual(y);
    expect(x.meta.generator).toBe("generator/rules");
    expect(x.scores.char_ratio).toBeCloseTo(x.compressed!.length / x.text.length, 10);
    expect(x.scores.char_ratio).toBeLessThanOrEqual(1);
  });

  test("empty text", () => {
    expect(run("", "code")).toBe("");
    expect(run("", "nl")).toBe("");
    const doc = plugin.generate(makeDoc({ text: "", domain: "nl", source: { path: "e" } }), opts(), ctx) as Doc;
    expect(doc.scores.char_ratio).toBe(1);
  });
});

describe("what comment stripping must not touch", () => {
  test("Python: # inside strings, f-strings and triple-quoted strings", () => {
    const src = [
      "def f(x):",
      '    s = "# not a comment"  # a real comment',
      "    t = f\"{x!r:>10} # still not {'#'}\"",
      '    u = """keep # this',
      "",
      '    and this blank line"""',
      "    return s, t, u",
    ].join("\n");
    const out = run(src, "code", {}, { path: "f.py" });
    expect(out).toContain('"# not a comment"');
    expect(out).not.toContain("a real comment");
    expect(out).toContain("f\"{x!r:>10} # still not {'#'}\"");
    expect(out).toContain('"""keep # this\n\n    and this blank line"""');
  });

  test("JavaScript: URLs in strings, template literals, regex literals", () => {
    const src = [
      "// a comment",
      "const u = 'http://x'; // trailing",
      "const t = `a // b ${y /* inner */ + 1} c`;",
      "const re = /\\/\\/+/g;",
      "const half = total / 2; /* block",
      "   comment */",
    ].join("\n");
    const out = run(src, "code", {}, { path: "a.js", lang: "javascript" });
    expect(out).toBe("const u = 'http://x';\nconst t = `a // b ${y + 1} c`;\nconst re = /\\/\\/+/g;\nconst half = total / 2;");
  });
});

describe("options", () => {
  const py = 'def f(a,\n      b):\n    """Doc."""\n    # note\n\n    if a:\n        return a  # why\n    return b\n';

  test("defaults: no docstring, comments, blank lines; bracket lines joined", () => {
    expect(run(py, "code")).toBe("def f(a, b):\n    if a:\n        return a\n    return b");
  });

  test("indent=one, strip_comments=false, strip_docstrings=false", () => {
    expect(run(py, "code", { indent: "one" })).toBe("def f(a, b):\n if a:\n  return a\n return b");
    expect(run(py, "code", { strip_comments: false })).toBe("def f(a, b):\n    # note\n    if a:\n        return a  # why\n    return b".replace("a  #", "a #"));
    expect(run(py, "code", { strip_docstrings: false })).toContain('    """Doc."""');
  });

  test("a body that was only a docstring becomes ...", () => {
    expect(run('class P(Protocol):\n    def m(self) -> int:\n        """Only a docstring."""\n', "code")).toBe("class P(Protocol):\n    def m(self) -> int:\n        ...");
  });

  test("mixed: prose rules outside fences, code rules (or verbatim) inside", () => {
    const md = [
      "In order to install it, run the following very short program.",
      "",
      "```python",
      "def hello():  # greet",
      '    """Say hello."""',
      '    print("hello")',
      "```",
      "",
      "It is important to note that it does not print anything else.",
    ].join("\n");
    expect(run(md, "mixed")).toBe(
      'To install it, run the following short program.\n```python\ndef hello():\n    print("hello")\n```\nIt does not print anything else.',
    );
    const verbatim = run(md, "mixed", { code_blocks: "verbatim" });
    expect(verbatim).toContain('```python\ndef hello():  # greet\n    """Say hello."""\n    print("hello")\n```');
  });

  test("unknown options and wrong types are rejected by the schema", () => {
    expect(() => v.parse(plugin.options!, { indent: "two" })).toThrow();
    expect(() => v.parse(plugin.options!, { drop_articles: "yes" })).toThrow();
  });
});
