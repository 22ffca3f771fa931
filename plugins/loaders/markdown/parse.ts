// Markdown -> mdast with unified + remark-parse, plus front matter (YAML/TOML) and the two GFM
// constructs that change document structure here: tables and strikethrough. GFM autolink
// literals, footnotes and task lists are left out on purpose: they cost ~25% of parse time and
// change no block boundaries (a bare URL stays text either way).
import type { Root } from "mdast";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmStrikethrough } from "micromark-extension-gfm-strikethrough";
import { gfmTable } from "micromark-extension-gfm-table";
import remarkFrontmatter from "remark-frontmatter";
import remarkParse from "remark-parse";
import { unified, type Processor } from "unified";

function remarkTablesAndStrikethrough(this: Processor): void {
  const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push(gfmTable(), gfmStrikethrough());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown());
}

let processor: { parse(text: string): unknown } | undefined;

export function parseMarkdown(text: string): Root {
  processor ??= unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkTablesAndStrikethrough).freeze();
  return processor.parse(text) as Root;
}

/**
 * MDX: ESM `import` / `export` lines become blank lines (keeping line numbers), outside code
 * fences. JSX blocks parse as HTML and are dropped by the renderer.
 */
export function blankMdxEsm(text: string): string {
  let fence: string | null = null;
  return text
    .split("\n")
    .map((line) => {
      const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (f && (fence === null || (f[0] === fence[0] && f.length >= fence.length))) {
        fence = fence === null ? f : null;
        return line;
      }
      return fence === null && /^(import|export)\s/.test(line) ? "" : line;
    })
    .join("\n");
}
