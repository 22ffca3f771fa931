import { describe, expect, test } from "bun:test";
import plugin from "../../../plugins/filters/notation.ts";
import { isReject } from "../../../src/sdk/doc.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";

testFilterConformance(plugin, {});

const PROSE = "The bridge, which opened in 1932, is not a toll road and was never closed. It spans 503 metres.";
const GOOD = "bridge opened 1932 | ¬toll road | never closed | spans 503m";

describe("filter/notation: symbols", () => {
  test("doubled connectors", async () => {
    for (const bad of ["a → → b | 1932 503 ¬", "a →→ b 1932 503 ¬", "a | | b 1932 503 ¬", "a ∵ ∵ b 1932 503 ¬", "a || b 1932 503 ¬", "x @ @ y 1932 503 ¬"]) {
      expect({ bad, reason: reason(await run(plugin, pair(PROSE, bad))) }).toEqual({ bad, reason: "doubled_symbol" });
    }
    // `||` is an operator in code; `| |` is an empty cell in a Markdown table.
    expect(reason(await run(plugin, pair("def f(a, b):\n    return a or b", "f(a,b) = a || b", "code")))).toBeUndefined();
    expect(reason(await run(plugin, pair(PROSE, `| year | toll |\n| 1932 | | \n| 503 | never |`)))).toBeUndefined();
  });

  test("orphaned connectors", async () => {
    for (const bad of [`${GOOD}\n|\nmore`, `→ ${GOOD}`, `| ${GOOD}`, `${GOOD} →`, `${GOOD} |`, `${GOOD}\n→ →`.replace("→ →", "∴")]) {
      expect({ bad, reason: reason(await run(plugin, pair(PROSE, bad))) }).toEqual({ bad, reason: "orphan_symbol" });
    }
    // Decorators start code; "∴ x" starts a conclusion.
    expect(reason(await run(plugin, pair("@cache\ndef f(x):\n    return x", "@cache fn:f(x)=x", "code")))).toBeUndefined();
    expect(reason(await run(plugin, pair(PROSE, `∴ ${GOOD}`)))).toBeUndefined();
    expect(reason(await run(plugin, pair(PROSE, `${GOOD} →`), { symbols: false }))).toBeUndefined();
  });
});

describe("filter/notation: facts", () => {
  test("negations must survive in prose when the original negates at least negation_min times", async () => {
    const r = await run(plugin, pair(PROSE, "bridge opened 1932 | toll road | closed | spans 503m"));
    expect(reason(r)).toBe("negation_dropped");
    expect(isReject(r) && r.detail).toContain("not");
    for (const kept of ["bridge 1932 | ¬toll | ¬closed | 503m", "bridge 1932 | not toll, never closed | 503m", "bridge 1932 | toll: none | 503m", "bridge 1932 | toll ≠ yes | 503m"]) {
      expect(reason(await run(plugin, pair(PROSE, kept)))).toBeUndefined();
    }
    // One negation is below the default minimum; code is not checked by default.
    const once = "The bridge, opened in 1932, is not a toll road. It spans 503 metres.";
    expect(reason(await run(plugin, pair(once, "bridge 1932 | toll road | 503m")))).toBeUndefined();
    expect(reason(await run(plugin, pair(once, "bridge 1932 | toll road | 503m"), { negation_min: 1 }))).toBe("negation_dropped");
    expect(reason(await run(plugin, pair("if not x:\n    return None  # never\n", "x ? None", "code")))).toBeUndefined();
  });

  test("numbers must survive, allowing rewritten forms and a tolerance", async () => {
    const r = await run(plugin, pair(PROSE, "bridge opened | ¬toll | never closed | spans m"));
    expect(reason(r)).toBe("number_dropped");
    expect(isReject(r) && r.detail).toBe("2/2 missing: 1932, 503");
    const text = "Founded in 1932, the firm had 1,200,000 customers and 3.5 million dollars in 1945, and 45,000 staff in the 1900s. It was not sold, never.";
    for (const kept of ["firm 1932 | 1.2M customers | $3.5M 1945 | 45k staff 1900s | ¬sold", "firm 1932-45 | 1,200,000 customers | 3.5 million $ | 45,000 staff | 20th c | ¬sold"]) {
      expect({ kept, reason: reason(await run(plugin, pair(text, kept))) }).toEqual({ kept, reason: undefined });
    }
    expect(reason(await run(plugin, pair("Seed masses of ~105 solar masses grow to 109 over 12,000 years, not more, never.", "seed ~10⁵ M☉ → 10⁹ | 12kyr | ¬more")))).toBeUndefined();
    // 1 of 5 missing is within the default tolerance (25%), 2 of 5 is not.
    const five = "Years 1901, 1902, 1903, 1904 and 1905.";
    expect(reason(await run(plugin, pair(five, "1901 1902 1903 1904")))).toBeUndefined();
    expect(reason(await run(plugin, pair(five, "1901 1902 1903")))).toBe("number_dropped");
    expect(reason(await run(plugin, pair(five, "1901 1902 1903"), { number_tolerance: 0.5 }))).toBeUndefined();
  });

  test("named entities must mostly survive, by word or acronym", async () => {
    const text = "In 1915 Albert Einstein published General Relativity in Berlin; Arthur Eddington confirmed it at Principe with the Royal Society.";
    expect(reason(await run(plugin, pair(text, "1915: Einstein → GR @ Berlin | Eddington confirmed @ Principe (Royal Soc)")))).toBeUndefined();
    expect(reason(await run(plugin, pair(text, "1915: physicist published gravity theory | later confirmed")))).toBe("entity_dropped");
    expect(reason(await run(plugin, pair(text, "1915: physicist published gravity theory | later confirmed"), { entities: [] }))).toBeUndefined();
  });

  test("a code unit's name and most parameter names must survive", async () => {
    const code = "def fetch_rows(self, table: str, limit: int = 10, *, timeout=None, **kwargs):\n    return db.query(table, limit)";
    expect(reason(await run(plugin, pair(code, "fn:fetch_rows(table, limit=10, timeout, **kwargs) = db.query(table, limit)", "code")))).toBeUndefined();
    const renamed = await run(plugin, pair(code, "fn:get(table, limit, timeout, kwargs) = db.query(table, limit)", "code"));
    expect(reason(renamed)).toBe("identifier_dropped");
    expect(isReject(renamed) && renamed.detail).toContain("fetch_rows");
    expect(reason(await run(plugin, pair(code, "fn:fetch_rows() = db.query(...)", "code")))).toBe("identifier_dropped");
    expect(reason(await run(plugin, pair("class Point:\n    x: int", "Point{x:int}", "code")))).toBeUndefined();
    expect(reason(await run(plugin, pair("class Point:\n    x: int", "P{x:int}", "code")))).toBe("identifier_dropped");
    // The unit's name from the loader wins over the first def in the text.
    expect(reason(await run(plugin, pair("@property\ndef area(self):\n    return self.w * self.h", "area = w*h", "code", "area")))).toBeUndefined();
  });

  test("a blank answer is left to filter/sanitize; a missing one is rejected", async () => {
    expect(reason(await run(plugin, pair(PROSE, "")))).toBeUndefined();
    expect(reason(await run(plugin, pair(PROSE, undefined)))).toBe("no_compressed");
  });
});
