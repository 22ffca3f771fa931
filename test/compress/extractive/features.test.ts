import { describe, expect, test } from "bun:test";
import { FACT_CODE_NAME, FACT_ENTITY, FACT_IDENTIFIER, FACT_NEGATION, FACT_NUMBER, FEATURES_PER_WORD, featurize } from "../../../src/compress/extractive/features.ts";
import { lineKinds } from "../../../src/compress/extractive/lines.ts";
import { tokenize } from "../../../src/compress/extractive/tokenize.ts";

const factsOf = (text: string, domain: "code" | "nl") => {
  const w = tokenize(text);
  const f = featurize(w, domain);
  return Object.fromEntries(w.forms.map((form, i) => [form, f.fact[i]!]));
};

describe("line kinds", () => {
  test("code lines by what they do; docstrings span lines; prose is prose", () => {
    const code = '@cache\ndef f(x):\n    """Doc\n    more."""\n    # note\n    import os\n    y = g(x)\n    if y:\n        return y\n    run(y)\n\n';
    expect(lineKinds(code, "code")).toEqual(["decorator", "signature", "docstring", "docstring", "comment", "import", "assign", "control", "return", "call", "blank", "blank"]);
    expect(lineKinds("One sentence.\nAnother.", "nl")).toEqual(["prose", "prose"]);
  });
});

describe("features", () => {
  test("a fixed number of hashes per word, the same for the same text", () => {
    const w = tokenize("The bridge opened in 1932.");
    const a = featurize(w, "nl");
    expect(a.hashes.length).toBe(w.forms.length * FEATURES_PER_WORD);
    expect([...featurize(w, "nl").hashes]).toEqual([...a.hashes]);
    expect([...featurize(w, "code").hashes]).not.toEqual([...a.hashes]); // the domain is a feature
  });

  test("fact bits: numbers with their unit, negations, the signature's names, code names, entities", () => {
    const nl = factsOf("In 1932 the bridge, 503 metres long, was not opened by Alice Smith.", "nl");
    expect(nl["1932"]! & FACT_NUMBER).toBeTruthy();
    expect(nl["503"]! & FACT_NUMBER).toBeTruthy();
    expect(nl.metres! & FACT_NUMBER).toBeTruthy(); // the unit after a number
    expect(nl.the! & FACT_NUMBER).toBeFalsy(); // a stop word after a number is not a unit
    expect(nl.not! & FACT_NEGATION).toBeTruthy();
    expect(nl.Alice! & FACT_ENTITY).toBeTruthy();
    expect(nl.bridge).toBe(0);
    const code = factsOf("def load_rows(path, limit):\n    if not path:\n        return fetchAll(path)[:limit]\n", "code");
    expect(code.load_rows! & FACT_IDENTIFIER).toBeTruthy();
    expect(code.limit! & FACT_IDENTIFIER).toBeTruthy();
    expect(code.not! & FACT_NEGATION).toBeTruthy();
    expect(code.fetchAll! & FACT_CODE_NAME).toBeTruthy();
    expect(code.fetchAll! & FACT_IDENTIFIER).toBeFalsy();
  });
});
