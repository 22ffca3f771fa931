// mdast -> plain blocks a reader would see: emphasis markers, link URLs (unless keep_urls), HTML
// tags and comments, front matter, definitions and (unless keep_code) code blocks are dropped;
// link text, inline code (with its backticks), list markers and table cells are kept.
import type { Nodes, Root, RootContent, Table } from "mdast";

export interface Block {
  kind: "heading" | "text" | "whole";
  /** Heading depth (1-6) for headings. */
  depth?: number;
  text: string;
  start: number;
  end: number;
}

export interface RenderOptions {
  keep_code: boolean;
  keep_urls: boolean;
  /** MDX: HTML/JSX blocks are components, not prose: drop them. */
  mdx: boolean;
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const TAG = /<\/?[A-Za-z][^<>]*>/g;

/** Collapses runs of blanks inside each line and drops blank lines at the ends. */
export function normalize(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function inline(node: Nodes, o: RenderOptions): string {
  switch (node.type) {
    case "text":
      return node.value.replace(/\s*\n\s*/g, " "); // soft line breaks are spaces
    case "inlineCode":
      return `\`${node.value}\``;
    case "break":
      return "\n";
    case "html":
      return o.mdx ? "" : node.value.replace(COMMENT, "").replace(TAG, "");
    case "image":
      return node.alt ?? "";
    case "imageReference":
      return node.alt ?? "";
    case "footnoteReference":
      return "";
    case "link": {
      const text = node.children.map((c) => inline(c, o)).join("");
      return o.keep_urls && node.url && node.url !== text ? `${text} (${node.url})` : text;
    }
    default:
      return "children" in node ? (node.children as Nodes[]).map((c) => inline(c, o)).join("") : "";
  }
}

function table(node: Table, o: RenderOptions): string {
  return node.children.map((row) => row.children.map((cell) => normalize(inline(cell, o)).replace(/\n/g, " ")).join(" | ")).join("\n");
}

/** A block node as text; "" when nothing of it is kept. */
function block(node: Nodes, o: RenderOptions): string {
  switch (node.type) {
    case "paragraph":
    case "heading":
      return normalize(inline(node, o));
    case "code":
      return o.keep_code ? `\`\`\`${node.lang ?? ""}\n${node.value}\n\`\`\`` : "";
    case "html":
      return o.mdx ? "" : normalize(node.value.replace(COMMENT, "").replace(TAG, ""));
    case "list": {
      let n = node.start ?? 1;
      return node.children
        .map((item) => {
          const marker = node.ordered ? `${n++}. ` : "- ";
          const body = item.children.map((c) => block(c, o)).filter(Boolean).join("\n");
          return body ? marker + body.replace(/\n/g, "\n  ") : "";
        })
        .filter(Boolean)
        .join("\n");
    }
    case "blockquote": {
      const body = node.children.map((c) => block(c, o)).filter(Boolean).join("\n\n");
      return body ? body.replace(/^/gm, "> ").replace(/^> $/gm, ">") : "";
    }
    case "table":
      return table(node, o);
    case "yaml":
    case "toml" as never:
    case "definition":
    case "footnoteDefinition":
    case "thematicBreak":
      return "";
    default:
      return "children" in node ? normalize(inline(node, o)) : "";
  }
}

const WHOLE = new Set(["list", "table", "blockquote", "code"]);

/** The document's top-level blocks in order, with their source lines; empty ones left out. */
export function renderBlocks(root: Root, o: RenderOptions): Block[] {
  const out: Block[] = [];
  for (const node of root.children as RootContent[]) {
    const text = block(node, o);
    if (!text || !node.position) continue;
    out.push({
      kind: node.type === "heading" ? "heading" : WHOLE.has(node.type) ? "whole" : "text",
      depth: node.type === "heading" ? node.depth : undefined,
      text,
      start: node.position.start.line,
      end: node.position.end.line,
    });
  }
  return out;
}
