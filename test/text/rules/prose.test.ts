import { describe, expect, test } from "bun:test";
import { ARTICLES, BEFORE_NUMBER, DROPPABLE_WORDS, FILLERS, KEEP_ARTICLE_BEFORE, NEGATIONS, PHRASES } from "../../../src/text/rules/phrases.ts";
import { compressProse, isSentenceStart } from "../../../src/text/rules/prose.ts";

const plain = (s: string) => compressProse(s, { drop_articles: false });
const terse = (s: string) => compressProse(s, { drop_articles: true });

describe("the word lists", () => {
  const words = (s: string) => s.toLowerCase().split(/[^a-z']+/).filter(Boolean);
  const entries = [...PHRASES, ...BEFORE_NUMBER, ...FILLERS.map((f) => [f, ""] as const)];

  test("no entry drops a negation", () => {
    for (const [from, to] of entries) {
      for (const neg of NEGATIONS) {
        const n = (s: string) => words(s).filter((w) => w === neg || (neg === "n't" && w.endsWith("n't"))).length;
        expect(n(to)).toBeGreaterThanOrEqual(n(from));
      }
    }
  });

  test("no entry holds a digit or drops a quantity word; entries are lowercase", () => {
    for (const [from, to] of entries) {
      expect(from).not.toMatch(/\d/);
      expect(from).toBe(from.toLowerCase());
      for (const w of words(from)) if (KEEP_ARTICLE_BEFORE.has(w) && !["great", "number", "majority", "total"].includes(w)) expect(words(to)).toContain(w);
    }
  });

  test("negations and names are never droppable words", () => {
    for (const neg of NEGATIONS) expect(DROPPABLE_WORDS.has(neg)).toBe(false);
    for (const a of ARTICLES) expect(DROPPABLE_WORDS.has(a)).toBe(true);
  });
});

describe("prose rules", () => {
  test("redundant phrasing and fillers", () => {
    expect(plain("In order to cross, drivers pay due to the fact that it is very old.")).toBe("To cross, drivers pay because it is old.");
    expect(plain("It is important to note that the bridge is located in Ohio.")).toBe("The bridge is in Ohio.");
    expect(plain("The majority of the 40 members were, really, able to vote.")).toBe("Most of the 40 members could vote.");
    expect(plain("A total of 12 were built in the year 1999; a total of them failed.")).toBe("12 were built in 1999; a total of them failed.");
  });

  test("a drop that brings a phrase together is applied too (idempotent in one call)", () => {
    const once = plain("It is very important to note that it works.");
    expect(once).toBe("It works.");
    expect(plain(once)).toBe(once);
  });

  test("names and titles are never touched", () => {
    expect(plain("The Very Large Telescope is in Chile. Very few know it.")).toBe("The Very Large Telescope is in Chile. Few know it.");
    expect(plain("She wrote In Order To Live and Of Course You Can.")).toBe("She wrote In Order To Live and Of Course You Can.");
  });

  test("negations, numbers, units and dates survive", () => {
    const s = "It is not very hard: 3.5 km in 2 hours on 4 May 1921, never without water, unless it rains, except in June; he can't and cannot.";
    const out = terse(s);
    for (const w of ["not", "3.5 km", "2 hours", "4 May 1921", "never", "without", "unless", "except", "June", "can't", "cannot"]) expect(out).toContain(w);
  });

  test("articles: dropped on request, kept in quantities and rates", () => {
    expect(plain("the bridge has a span")).toBe("the bridge has a span");
    expect(terse("The bridge has a span of an hour.")).toBe("Bridge has span of hour.");
    expect(terse("a few of them pay $5 a day, twice a week, from 10 a.m. by (a) a lot")).toBe("a few of them pay $5 a day, twice a week, from 10 a.m. by (a) a lot");
    expect(terse("Vitamin A is in The Hague.")).toBe("Vitamin A is in The Hague.");
  });

  test("inline code, URLs, links and tags are masked", () => {
    const s = "Call `the very thing` at https://example.com/the/very/a or [see](http://x/in-order-to) <a href=\"the\">the</a> {{the}}";
    expect(terse(s)).toBe("Call `the very thing` at https://example.com/the/very/a or [see](http://x/in-order-to) <a href=\"the\">the</a> {{the}}");
  });

  test("whitespace: runs collapse, blank lines and trailing spaces go, list nesting stays", () => {
    expect(plain("one  two \t three   \n\n\n  - nested   item\n- top")).toBe("one two three\n  - nested item\n- top");
  });

  test("sentence starts", () => {
    expect(isSentenceStart("x. The", 3)).toBe(true);
    expect(isSentenceStart("x\n- The", 4)).toBe(true);
    expect(isSentenceStart("in The", 3)).toBe(false);
    expect(isSentenceStart('"The', 1)).toBe(true);
  });
});
