// Everything done for one Markdown file, in a parser process or in the loader's process: read
// (shared binary / UTF-8 / size checks), parse, render blocks, pack chunks.
import { readCorpusText, type SkipReason } from "../../../src/text/corpus-files.ts";
import { chunkBlocks, type ChunkOptions, type ChunkResult } from "./chunk.ts";
import { blankMdxEsm, parseMarkdown } from "./parse.ts";
import { renderBlocks, type RenderOptions } from "./render.ts";

export interface MarkdownTask {
  abs: string;
  maxFileBytes: number;
  render: Omit<RenderOptions, "mdx">;
  chunk: ChunkOptions;
}

export type MarkdownResult = ChunkResult | { skip: SkipReason; detail: string };

export async function processMarkdown(task: MarkdownTask): Promise<MarkdownResult> {
  const read = await readCorpusText(task.abs, task.maxFileBytes);
  if ("skip" in read) return read;
  const mdx = task.abs.toLowerCase().endsWith(".mdx");
  const tree = parseMarkdown(mdx ? blankMdxEsm(read.text) : read.text);
  const blocks = renderBlocks(tree, { ...task.render, mdx });
  if (blocks.length === 0) return { skip: "empty", detail: "no text after dropping markup" };
  return chunkBlocks(blocks, task.chunk);
}
