import { describe, expect, test } from "bun:test";
import { formatKept } from "../../../src/compress/extractive/format.ts";
import { tokenize } from "../../../src/compress/extractive/tokenize.ts";

/** Keep the words listed (by form, each occurrence in order). */
function keepOnly(text: string, words: string[]): { w: ReturnType<typeof tokenize>; keep: Uint8Array } {
  const w = tokenize(text);
  const keep = new Uint8Array(w.forms.length);
  const want = [...words];
  for (let i = 0; i < w.forms.length; i++) {
    if (want[0] === w.forms[i]) {
      keep[i] = 1;
      want.shift();
    }
  }
  expect(want).toEqual([]);
  return { w, keep };
}

describe("formatKept", () => {
  test("code keeps line breaks, indentation and operators between kept neighbours; empty lines go", () => {
    const code = "def add(a, b):\n    # add them up\n    total = a + b\n    return total\n";
    const { w, keep } = keepOnly(code, ["def", "add", "a", "b", "total", "a", "b", "return", "total"]);
    expect(formatKept(w, keep, "code")).toBe("def add(a, b):\n    total = a + b\n    return total");
  });

  test("code: a dropped receiver takes its dot with it; closers stay after kept lines", () => {
    const code = "result = self.build(\n    value,\n)\n";
    const { w, keep } = keepOnly(code, ["result", "build", "value"]);
    expect(formatKept(w, keep, "code")).toBe("result = build(\n    value,\n)");
  });

  test("prose keeps words with their punctuation and marks dropped sentence ends", () => {
    const text = "The bridge, which opened in 1932, is long. It is not a toll road.";
    const { w, keep } = keepOnly(text, ["bridge", "opened", "1932", "not", "toll", "road"]);
    expect(formatKept(w, keep, "nl")).toBe("bridge, opened 1932. not toll road.");
  });

  test("all dropped → empty text; all kept → the original up to spacing", () => {
    const text = "A short line.\n\nAnother one here.";
    const w = tokenize(text);
    expect(formatKept(w, new Uint8Array(w.forms.length), "nl")).toBe("");
    expect(formatKept(w, new Uint8Array(w.forms.length).fill(1), "nl")).toBe("A short line.\nAnother one here.");
  });
});
