// Packs rendered blocks into section-aware chunks: in document order, min_chars..max_chars,
// never across a heading of level <= split_level, each with its heading path. A text block
// longer than max_chars is split at sentence boundaries (then at spaces, never mid-word); lists,
// tables, block quotes and code blocks are never split (an oversized one becomes its own chunk).
import type { Block } from "./render.ts";

export interface ChunkOptions {
  min_chars: number;
  max_chars: number;
  split_level: number;
  include_headings: boolean;
}

export interface Chunk {
  text: string;
  start: number;
  end: number;
  /** "Guide > Install > macOS": the headings enclosing the chunk's first block. */
  headings: string;
  /** Kept even though longer than max_chars (an unsplittable block). */
  oversized: boolean;
}

export interface ChunkResult {
  chunks: Chunk[];
  /** Chunks dropped for being shorter than min_chars. */
  tooShort: number;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Pieces of at most `max` characters (the first at most `firstMax`, to fill the rest of a chunk),
 * cut after sentences, else between words.
 */
export function splitText(text: string, max: number, firstMax = max): string[] {
  const units: string[] = [];
  for (const { segment } of sentences.segment(text)) {
    if (segment.length <= max) units.push(segment);
    else units.push(...segment.split(/(?<=\s)/)); // words, each with its trailing space
  }
  const pieces: string[] = [];
  let cur = "";
  for (const u of units) {
    if (cur && cur.length + u.length > (pieces.length === 0 ? firstMax : max)) {
      pieces.push(cur.trim());
      cur = "";
    }
    cur += u;
  }
  if (cur.trim()) pieces.push(cur.trim());
  return pieces.filter(Boolean);
}

/** An over-long text block as sentence-bounded pieces, with estimated line ranges. */
function splitBlock(b: Block, max: number, firstMax: number): Block[] {
  const pieces = splitText(b.text, max, firstMax);
  const span = b.end - b.start;
  let offset = 0;
  return pieces.map((p) => {
    // Lines of a piece are estimated from its position in the block's text.
    const from = b.start + Math.floor((offset / b.text.length) * span);
    offset += p.length + 1;
    const to = b.start + Math.min(span, Math.ceil((offset / b.text.length) * span));
    return { kind: "text", text: p, start: from, end: Math.max(from, to) };
  });
}

export function chunkBlocks(input: Block[], o: ChunkOptions): ChunkResult {
  const result: ChunkResult = { chunks: [], tooShort: 0 };
  const path: string[] = []; // path[d-1] = current heading of depth d
  let parts: Block[] = [];
  let size = 0;
  let headings = "";
  let startLine = 0;
  let endLine = 0;

  const flush = () => {
    if (parts.length === 0) return;
    // With the heading path as a prefix, a leading heading would only repeat its last part.
    const prefixed = o.include_headings && headings !== "";
    const shown = prefixed && parts[0]!.kind === "heading" && parts.length > 1 ? parts.slice(1) : parts;
    const body = shown.map((p) => p.text).join("\n\n");
    const onlyHeadings = parts.every((p) => p.kind === "heading");
    parts = [];
    size = 0;
    if (onlyHeadings) return; // a heading with nothing under it: no content to count
    if (body.length < o.min_chars) {
      result.tooShort++;
      return;
    }
    const text = prefixed ? `${headings}\n\n${body}` : body;
    result.chunks.push({ text, start: startLine, end: endLine, headings, oversized: body.length > o.max_chars && shown.length === 1 });
  };

  const queue = [...input].reverse(); // a stack: split pieces go back on top
  while (queue.length > 0) {
    const b = queue.pop()!;
    if (b.kind === "text" && b.text.length > o.max_chars) {
      // Fill what is left of the current chunk if that is a useful amount, else start fresh.
      const room = o.max_chars - size - 2;
      const pieces = splitBlock(b, o.max_chars, parts.length > 0 && room >= Math.min(o.min_chars, o.max_chars / 4) ? room : o.max_chars);
      queue.push(...pieces.reverse());
      continue;
    }
    if (b.kind === "heading") {
      const depth = b.depth ?? 1;
      // A section boundary, or a subsection starting once the chunk has enough text.
      if (depth <= o.split_level || size >= o.min_chars) flush();
      path.length = depth - 1;
      path[depth - 1] = b.text.replace(/\n/g, " ");
    } else if (parts.length > 0 && size + 2 + b.text.length > o.max_chars && !parts.every((p) => p.kind === "heading")) {
      // (Headings alone never make a chunk: they stay with the text after them.)
      flush();
    }
    if (parts.length === 0) {
      headings = path.filter(Boolean).join(" > ");
      startLine = b.start;
    }
    parts.push(b);
    size += (parts.length > 1 ? 2 : 0) + b.text.length;
    endLine = b.end;
    if (b.kind === "whole" && size > o.max_chars) flush();
  }
  flush();
  return result;
}
