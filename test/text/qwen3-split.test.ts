import { describe, expect, test } from "bun:test";
import { asciiBytes, scanAscii, SPLIT } from "../../src/text/qwen3-split.ts";

const byRegex = (t: string) => [...t.matchAll(SPLIT)].map((m) => m[0]);
const byScanner = (t: string) => {
  const out: string[] = [];
  scanAscii(asciiBytes(t)!, t.length, (s, e) => out.push(t.slice(s, e)));
  return out;
};

const CASES = [
  "", " ", "  ", "\n", "\r\n\r\n", "a  \n  b", "end with spaces   ", "\v\f", "\t\n \t\n", "tab\tsep\t\tx",
  "He's HE'S it'S we'LL I'd've 're 'Re 'x 'shello '", "  leading and trailing  ", "def f(x):\n\treturn x  # ok\n\n",
  "((foo)) ..bar .baz !!\n\n x", "1234567890 3.14159 1e-9 0xFF", "a  b", " \n", "x \n\n y", "_foo __init__ x_1",
  "\x00\x01\x1b[31mred\x1b[0m", "&amp; &lt;tag&gt;", "=" .repeat(40) + "\r\n", " (a) ' s", "\t(", "\t x", " 5", "  5",
];

/** Random ASCII text weighted toward the characters the alternatives turn on. */
function fuzz(seed: number, length: number): string {
  const pool = "aAbZsStTrReEvVmMlLdD'0123456789  \t\n\r\v\f.,;:()[]{}_-+=*/\\\"!?#$%&|<>~`^@\x00\x1b";
  let x = seed;
  let s = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += pool[(x >>> 8) % pool.length];
  }
  return s;
}

describe("qwen3 pre-tokenizer", () => {
  test("the ASCII scanner splits as the Split regex does (edge cases)", () => {
    for (const t of CASES) expect({ t, words: byScanner(t) }).toEqual({ t, words: byRegex(t) });
  });

  test("the ASCII scanner splits as the Split regex does (20,000 random texts)", () => {
    for (let seed = 1; seed <= 20_000; seed++) {
      const t = fuzz(seed, 1 + (seed % 60));
      const a = byScanner(t);
      const b = byRegex(t);
      if (a.join("\u0000") !== b.join("\u0000")) expect({ t, words: a }).toEqual({ t, words: b });
    }
  });
});
