// `--help` text: citty's usage, fitted to the terminal. citty pads every description column to the
// longest one (trailing spaces wider than the terminal), so a command list wrapped into a ragged
// block on an 80- or 100-column terminal. Here trailing padding is dropped and long descriptions
// wrap at word boundaries, continuing under the description column.
import { renderUsage, type CommandDef } from "citty";

const ANSI = /\x1b\[[0-9;]*m/g;
/** Narrower description columns than this start on their own line instead. */
const MIN_DESCRIPTION = 30;

const visible = (s: string) => s.replace(ANSI, "").length;

/** The width to fit: the terminal's, else $COLUMNS, else 80 (piped output). */
export function helpWidth(): number {
  const env = Number(process.env.COLUMNS);
  return process.stdout.columns || (Number.isInteger(env) && env > 0 ? env : 80);
}

export async function renderHelp(cmd: CommandDef<any>, parent?: CommandDef<any>, width = helpWidth()): Promise<string> {
  return fitToWidth(await renderUsage(cmd, parent), width);
}

/** Each line without trailing spaces; lines wider than `width` wrapped (see the file comment). */
export function fitToWidth(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => wrapLine(line.trimEnd(), width))
    .join("\n");
}

function wrapLine(line: string, width: number): string[] {
  if (visible(line) <= width) return [line];
  // A table row: name column, two or more spaces, description.
  const row = /^(.*?\S)( {2,})(\S.*)$/.exec(line);
  const head = row ? row[1]! + row[2]! : "";
  const body = row ? row[3]! : line;
  let indent = row ? visible(head) : 0;
  const out: string[] = [];
  let current = head;
  if (width - indent < MIN_DESCRIPTION) {
    out.push(row ? row[1]! : "");
    indent = Math.min(6, Math.max(0, width - MIN_DESCRIPTION));
    current = " ".repeat(indent);
  }
  let empty = true;
  for (const { word, glued } of pieces(body, width - indent)) {
    const gap = empty || glued ? "" : " ";
    if (!empty && visible(current) + gap.length + visible(word) > width) {
      out.push(current);
      current = " ".repeat(indent) + word;
      continue;
    }
    current += gap + word;
    empty = false;
  }
  out.push(current);
  return out;
}

/**
 * The words of `body`; a word wider than `room` that is a list of alternatives (citty's
 * `run|validate|…` usage line) is broken after each `|`, its pieces glued without a space.
 */
function pieces(body: string, room: number): Array<{ word: string; glued: boolean }> {
  return body.split(" ").flatMap((word) =>
    visible(word) > room && word.includes("|")
      ? word.split(/(?<=\|)/).map((piece, i) => ({ word: piece, glued: i > 0 }))
      : [{ word, glued: false }],
  );
}
