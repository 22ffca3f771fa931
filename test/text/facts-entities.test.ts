// entitiesIn: a capitalised single word counts as a name unless it merely starts a sentence.
import { expect, test } from "bun:test";
import { entitiesIn } from "../../src/text/facts.ts";

test("a capitalised word that starts the text, a sentence, a line or a quote is not a name", () => {
  expect(entitiesIn("Bridges open. Roads close!  Trains stop?\n  Ferries run; Buses wait: Cars honk")).toEqual([]);
});

test("a capitalised word inside a sentence is a name; so are acronyms and multi-word names at a start", () => {
  expect(entitiesIn("Yesterday the mayor of Paris met Lagarde today. NASA launched. Grace Hopper wrote code.")).toEqual(["Paris", "Lagarde", "NASA", "Grace Hopper"]);
});

test("a name repeated through a long text is listed once", () => {
  const text = "the engineer met Ada in the lab and then went home. ".repeat(4000);
  expect(entitiesIn(text)).toEqual(["Ada"]);
});
