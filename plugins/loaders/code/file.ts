// Everything done for one source file, in a worker or in the main thread: read it (with the
// shared binary / UTF-8 / size checks), parse it, find its units and cut out their text.
import { readCorpusText, type SkipReason } from "../../../src/text/corpus-files.ts";
import type { Lang } from "./languages.ts";
import { parserFor } from "./parser.ts";
import { extractUnits, type RawUnit } from "./units.ts";

export interface FileTask {
  abs: string;
  lang: Lang;
  maxFileBytes: number;
}

export interface UnitWithText extends RawUnit {
  text: string;
}

export type FileResult =
  | { units: UnitWithText[]; syntaxErrors: number }
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
    const units = found.units.map((u) => ({ ...u, text: unitText(lines, u.start, u.end) }));
    return { units, syntaxErrors: found.syntaxErrors };
  } finally {
    tree.delete();
  }
}
