// Everything done for one source file, in a parser process or in this one: read it (with the
// shared binary / UTF-8 / size checks), parse it, find its units, apply the unit rules, and cut
// out the text of the units kept. Applying the rules here means dropped units (half of them on
// CPython's stdlib) never cross the process boundary; only the duplicate check, which needs
// every file, is left to the loader.
import { readCorpusText, type SkipReason } from "../../../src/text/corpus-files.ts";
import type { Lang } from "./languages.ts";
import { parserFor } from "./parser.ts";
import { skipReason, type UnitRules } from "./rules.ts";
import { extractUnits, type UnitKind } from "./units.ts";

export interface FileTask {
  abs: string;
  lang: Lang;
  maxFileBytes: number;
  rules: UnitRules;
}

interface UnitPlace {
  kind: UnitKind;
  name: string;
  /** The enclosing class (or impl / receiver type) of a method. */
  className?: string;
  start: number;
  end: number;
}

/** A unit kept, with its text, or dropped by a rule (a `skipped:<reason>` counter name). */
export type FileUnit = (UnitPlace & { text: string; skip?: undefined }) | (UnitPlace & { skip: string });

export type FileResult =
  | { units: FileUnit[]; syntaxErrors: number }
  | { skip: SkipReason; detail: string };

/**
 * The unit's lines with the first line's indentation removed from every line that has it, so a
 * method reads like top-level code. Lines without that prefix (e.g. inside a multi-line string)
 * stay as they are; whitespace-only lines become empty.
 */
export function unitText(lines: string[], start: number, end: number): string {
  const slice = lines.slice(start - 1, end);
  const indent = /^[ \t]*/.exec(slice[0] ?? "")![0];
  if (!indent) return slice.join("\n");
  return slice.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trim() === "" ? "" : l)).join("\n");
}

export async function processFile(task: FileTask): Promise<FileResult> {
  const read = await readCorpusText(task.abs, task.maxFileBytes);
  if ("skip" in read) return read;
  const parser = await parserFor(task.lang);
  const tree = parser.parse(read.text);
  if (!tree) return { skip: "unreadable", detail: "tree-sitter returned no tree" };
  try {
    const lines = read.text.split("\n");
    const found = extractUnits(tree.rootNode, task.lang, lines);
    const units: FileUnit[] = [];
    for (const u of found.units) {
      const place: UnitPlace = { kind: u.kind, name: u.name, start: u.start, end: u.end, ...(u.className === undefined ? {} : { className: u.className }) };
      const text = unitText(lines, u.start, u.end);
      const skip = skipReason({ ...u, text }, task.lang, task.rules);
      if (skip === "unit_kind") continue; // not asked for: not counted either
      units.push(skip === null ? { ...place, text } : { ...place, skip });
    }
    return { units, syntaxErrors: found.syntaxErrors };
  } finally {
    tree.delete();
  }
}
