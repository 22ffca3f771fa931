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

/** Pieces of at most `max` characters, cut after sentences, else between words. */
export function splitText(text: string, max: number): string[] {
  const units: string[] = [];
  for (const { segment } of sentences.segment(text)) {
    if (segment.length <= max) units.push(segment);
    else units.push(...segment.split(/(?<=\s)/)); // words, each with its trailing space
  }
  const pieces: string[] = [];
  let cur = "";
  for (const u of units) {
    if (cur && cur.length + u.length > max) {
      pieces.push(cur.trim());
      cur = "";
    }
    cur += u;
  }
  if (cur.trim()) pieces.push(cur.trim());
  return pieces.filter(Boolean);
}

/** Splits over-long text blocks into sentence-bounded pieces with estimated line ranges. */
function fitBlocks(blocks: Block[], max: number): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.kind !== "text" || b.text.length <= max) {
      out.push(b);
      continue;
    }
    const pieces = splitText(b.text, max);
    const span = b.end - b.start;
    let offset = 0;
    for (const p of pieces) {
      // Lines of a piece are estimated from its position in the block's text.
      const from = b.start + Math.floor((offset / b.text.length) * span);
      offset += p.length + 1;
      const to = b.start + Math.min(span, Math.ceil((offset / b.text.length) * span));
      out.push({ kind: "text", text: p, start: from, end: Math.max(from, to) });
    }
  }
  return out;
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
    parts = [];
    size = 0;
    if (body.length < o.min_chars) {
      result.tooShort++;
      return;
    }
    const text = prefixed ? `${headings}\n\n${body}` : body;
    result.chunks.push({ text, start: startLine, end: endLine, headings, oversized: body.length > o.max_chars });
  };

  for (const b of fitBlocks(input, o.max_chars)) {
    if (b.kind === "heading") {
      const depth = b.depth ?? 1;
      // A section boundary, or a subsection starting once the chunk has enough text.
      if (depth <= o.split_level || size >= o.min_chars) flush();
      path.length = depth - 1;
      path[depth - 1] = b.text.replace(/\n/g, " ");
    } else if (parts.length > 0 && size + 2 + b.text.length > o.max_chars) {
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
