import { describe, expect, test, setDefaultTimeout } from "bun:test";
import { classifyDomain, classifyWithEvidence, labelLine, labelLines } from "../../src/text/classify.ts";
import type { Domain } from "../../src/sdk/types.ts";
import { sharedOriginals } from "./rules/_pairs.ts";
import { pythonCheck } from "./rules/_python.ts";

// These tests run CPython / a transpiler over whole corpora: minutes on a loaded 2-core machine
// must not read as failures.
setDefaultTimeout(120_000);

describe("classifyDomain on the shared v1 pairs", () => {
  const rows = sharedOriginals();
  // Ground truth from CPython, not from the classifier's own signals: a row is code when it
  // parses (dedented: many rows are methods) and starts with def / class / async def / @.
  const py = pythonCheck(rows.map((r) => ({ text: r.original })));
  const truth: Domain[] = py.map((p) => (p.parses && p.starts_def ? "code" : "nl"));
  const got = rows.map((r) => classifyDomain(r.original));

  test("≥ 98% agreement with the CPython ground truth; confusion matrix printed", () => {
    expect(rows.length).toBeGreaterThan(1900);
    const matrix: Record<string, Record<Domain, number>> = { code: { code: 0, nl: 0, mixed: 0 }, nl: { code: 0, nl: 0, mixed: 0 } };
    let agree = 0;
    const misses: string[] = [];
    rows.forEach((r, i) => {
      const t = truth[i]!;
      const g = got[i]!;
      matrix[t]![g]++;
      // "mixed" counts as agreement only where the truth is ambiguous: a code row whose prose
      // (docstrings, comments) outweighs a third of it. No row of this set is ambiguous the
      // other way: prose rows never parse as Python.
      const ambiguous = t === "code" && classifyWithEvidence(r.original).proseChars * 3 > r.original.length;
      if (g === t || (g === "mixed" && ambiguous)) agree++;
      else misses.push(`${r.file}:${r.line} truth=${t} got=${g}: ${r.original.slice(0, 80).replace(/\n/g, "⏎")}`);
    });
    const accuracy = agree / rows.length;
    console.log(`classify: ${rows.length} rows, agreement ${(accuracy * 100).toFixed(2)}%`);
    console.log("truth \\ got   code     nl  mixed");
    for (const t of ["code", "nl"] as const) {
      const m = matrix[t]!;
      console.log(`${t.padEnd(12)}${String(m.code).padStart(6)}${String(m.nl).padStart(7)}${String(m.mixed).padStart(7)}`);
    }
    if (misses.length) console.log(misses.slice(0, 20).join("\n"));
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
  });

  test("both classes are present in the truth (the set is about half code, half prose)", () => {
    const code = truth.filter((t) => t === "code").length;
    expect(code).toBeGreaterThan(rows.length * 0.4);
    expect(code).toBeLessThan(rows.length * 0.6);
  });
});

describe("mixed text", () => {
  test("Markdown prose with a fenced code block is mixed", () => {
    const md = [
      "# Installing the client",
      "",
      "Install the package with npm and then import it in your module. The client reads the API key",
      "from the environment, so you never have to pass it explicitly in your code.",
      "",
      "```js",
      'import { Client } from "acme";',
      "const client = new Client();",
      "await client.connect();",
      "```",
      "",
      "Once connected, every request is retried three times before the promise is rejected.",
    ].join("\n");
    const e = classifyWithEvidence(md);
    expect(e.fencedBlocks).toBe(1);
    expect(e.domain).toBe("mixed");
  });

  test("an explanation in prose around unfenced code is mixed", () => {
    const text = [
      "The function below computes the running mean of a stream of numbers. It keeps only the count and",
      "the current mean, so memory use stays constant no matter how long the stream is. This is the",
      "classic Welford update, which is numerically more stable than summing all values first.",
      "",
      "def running_mean(values):",
      "    count, mean = 0, 0.0",
      "    for x in values:",
      "        count += 1",
      "        mean += (x - mean) / count",
      "    return mean",
      "",
      "Call it with any iterable; an empty iterable returns 0.0 rather than raising an error.",
    ].join("\n");
    expect(classifyDomain(text)).toBe("mixed");
  });

  test("a docstring-heavy function is still code (its docstring belongs to it)", () => {
    const text = [
      "def area(radius):",
      '    """Return the area of a circle with the given radius.',
      "",
      "    The radius must not be negative; a negative radius raises ValueError. The result is",
      "    computed in floating point, so it is exact only to about fifteen significant digits.",
      '    """',
      "    if radius < 0:",
      '        raise ValueError("negative radius")',
      "    return 3.141592653589793 * radius ** 2",
    ].join("\n");
    expect(classifyDomain(text)).toBe("code");
  });

  test("a little inline code in prose stays nl; a line of code under a long essay stays nl", () => {
    expect(classifyDomain("## API\n\nCall `client.connect()` before anything else. It returns a promise that resolves when the socket is open.")).toBe("nl");
    const essay = "The committee met on 4 May 1921 and agreed that the bridge would not be a toll road. ".repeat(8);
    expect(classifyDomain(`${essay}\nx = 1`)).toBe("nl");
  });
});

describe("other languages and edge cases", () => {
  test.each([
    ["javascript", "const x = 1;\nfunction f(a, b) {\n  return a + b;\n}\n"],
    ["rust", 'fn main() {\n    let v: Vec<i32> = vec![1, 2, 3];\n    println!("{:?}", v);\n}\n'],
    ["c", '#include <stdio.h>\nint main(void) {\n  printf("hi\\n");\n  return 0;\n}\n'],
    ["go", 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'],
  ])("%s is code", (_lang, text) => {
    expect(classifyDomain(text)).toBe("code");
  });

  test("empty text, a formula, template slots and a bullet list are nl", () => {
    expect(classifyDomain("")).toBe("nl");
    expect(classifyDomain("{\\displaystyle 0\\leq {\\frac {cJ}{GM^{2}}}\\leq 1.}")).toBe("nl");
    expect(classifyDomain("Last Updated: {{DATE}}\nReview Status: {{REVIEWSTATUS}}")).toBe("nl");
    expect(classifyDomain("- item one is here\n- item two is there and it is not the same as the first one\n")).toBe("nl");
  });

  test("line labels", () => {
    expect(labelLine("    return self._cache[key]")).toBe("code");
    expect(labelLine("}")).toBe("code");
    expect(labelLine("It was the first bridge in the region to be built of steel, and it is still in use.")).toBe("prose");
    expect(labelLine("")).toBe("neutral");
    // A triple-quoted docstring opened by code stays code until it closes.
    expect(labelLines('def f():\n    """Summary.\n\n    It is a long explanation of the thing that it does.\n    """\n    return 1')).toEqual(["code", "code", "code", "code", "code", "code"]);
  });
});
