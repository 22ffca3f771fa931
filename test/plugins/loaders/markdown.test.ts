import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { chunkBlocks, splitText } from "../../../plugins/loaders/markdown/chunk.ts";
import plugin from "../../../plugins/loaders/markdown/index.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { loadDocs, testLoaderConformance } from "../_conformance.ts";
import { tempTrees } from "./_tree.ts";
import { parserChildren } from "./_processes.ts";
import { workspace } from "../../helpers/cli.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/loaders/markdown");

testLoaderConformance(plugin, { paths: ["**/*"] }, FIXTURES);

const load = (root: string, options: Record<string, unknown>) => loadDocs(plugin, root, options);

const tree = tempTrees("ctxc-md-");

const PROSE = "This sentence is plain prose that a reader would see on the page, with enough words in it. ";

describe("chunks of the fixture guide", () => {
  test("sections, heading paths, line ranges and dropped markup", async () => {
    const { docs } = await load(FIXTURES, { paths: ["docs/guide.md"] });
    expect(docs.map((d) => [d.meta.headings, d.source.start, d.source.end])).toEqual([
      ["Guide", 6, 10],
      ["Guide > Install", 14, 26],
      ["Guide > Install > macOS", 28, 36],
      ["Guide > Configure", 38, 44],
      ["Guide > Long section", 46, 48],
      ["Guide > Long section", 48, 48],
    ]);
    for (const d of docs) {
      expect(d.domain).toBe("nl");
      expect(d.source.unit).toBe("section");
      expect(d.text.length).toBeLessThanOrEqual(2000);
      expect(d.text.length).toBeGreaterThanOrEqual(200);
    }
    const all = docs.map((d) => d.text).join("\n");
    expect(all).not.toContain("title: Guide"); // front matter
    expect(all).not.toContain("maintainer comment"); // HTML comment
    expect(all).not.toContain("npm install widget"); // code block
    expect(all).not.toContain("https://example.com"); // link URL
    expect(all).not.toContain("**");
    expect(all).toContain("Read the install notes first, then follow the steps in order, checking each result"); // soft breaks joined
    expect(docs[1]!.text).toContain("- Second, unpack it into a folder on your PATH.\n  - Nested: keep the folder name unchanged.");
    expect(docs[2]!.text).toContain("Platform | Supported | Notes\nmacOS | yes | 12+");
    expect(docs[3]!.text).toContain("> The configuration file lives in your home folder.");
    // The long paragraph is split between sentences; its first piece fills the heading's chunk.
    expect(docs[4]!.text).toStartWith("Long section\n\nGamma lambda");
    expect(docs[4]!.text).toEndWith("number 31.");
    expect(docs[5]!.text).toStartWith("Epsilon sigma gamma theta lambda epsilon gamma alpha number 32.");
  });

  test("keep_code, keep_urls and include_headings", async () => {
    const { docs } = await load(FIXTURES, { paths: ["docs/guide.md"], keep_code: true, keep_urls: true, include_headings: true });
    const all = docs.map((d) => d.text).join("\n");
    expect(all).toContain("```sh\nnpm install widget\n```");
    expect(all).toContain("install notes (https://example.com/install)");
    expect(docs.find((d) => d.meta.headings === "Guide > Install > macOS")!.text.startsWith("Guide > Install > macOS\n\nOn macOS")).toBe(true);
  });

  test("split_level decides which headings end a chunk", async () => {
    const short = "A short section of prose, about one hundred and twenty characters long, under min_chars alone.";
    const root = tree({ "s.md": `# Title\n\n## A\n\n${short}\n\n## B\n\n${short}\n` });
    const level2 = await load(root, { paths: ["s.md"] });
    expect(level2.docs).toHaveLength(0);
    expect(level2.ctx.counters["skipped:too_short"]).toBe(2);
    const level1 = await load(root, { paths: ["s.md"], split_level: 1 });
    expect(level1.docs.map((d) => d.text)).toEqual([`Title\n\nA\n\n${short}\n\nB\n\n${short}`]);
    expect(level1.docs[0]!.meta.headings).toBe("Title");
  });

  test("MDX: imports, exports and JSX blocks dropped; .markdown read", async () => {
    const { docs } = await load(FIXTURES, { paths: ["**/*"] });
    const notes = docs.find((d) => d.source.path === "docs/notes.mdx")!;
    expect(notes.text).toStartWith("Notes\n\nNotes written in MDX keep their prose");
    expect(notes.text).not.toContain("./components");
    expect(notes.text).not.toContain("meta =");
    expect(notes.text).not.toContain("JSX block");
    expect(docs.some((d) => d.source.path === "README.markdown")).toBe(true);
  });
});

describe("chunking rules", () => {
  test("splitText cuts after sentences, then between words, never inside a word", () => {
    expect(splitText("One two. Three four. Five six.", 20)).toEqual(["One two.", "Three four.", "Five six."]);
    const words = splitText("abcdefgh ".repeat(20).trim(), 30);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(30);
      expect(w.split(" ").every((x) => x === "abcdefgh")).toBe(true);
    }
  });

  test("a list longer than max_chars stays whole, as its own chunk", () => {
    const list = { kind: "whole" as const, text: "- item\n".repeat(100).trim(), start: 3, end: 102 };
    const r = chunkBlocks([{ kind: "text", text: PROSE.repeat(3), start: 1, end: 1 }, list], { min_chars: 10, max_chars: 300, split_level: 2, include_headings: false });
    expect(r.chunks.map((c) => c.text)).toEqual([PROSE.repeat(3), list.text]);
    expect(r.chunks[1]!.oversized).toBe(true);
  });

  test("short chunks are dropped and counted", () => {
    const r = chunkBlocks(
      [
        { kind: "heading", depth: 2, text: "A", start: 1, end: 1 },
        { kind: "text", text: "tiny", start: 2, end: 2 },
        { kind: "heading", depth: 2, text: "B", start: 3, end: 3 },
        { kind: "text", text: PROSE.repeat(3), start: 4, end: 4 },
      ],
      { min_chars: 200, max_chars: 2000, split_level: 2, include_headings: false },
    );
    expect(r.tooShort).toBe(1);
    expect(r.chunks).toHaveLength(1);
    expect(r.chunks[0]!.headings).toBe("B");
  });
});

describe("bad input never stops a run", () => {
  test("invalid UTF-8, binary, empty, oversized files and symlink loops are counted and logged", async () => {
    const root = tree({
      "good.md": `# Good\n\n${PROSE.repeat(4)}\n`,
      "copy.md": `# Good\n\n${PROSE.repeat(4)}\n`,
      "latin1.md": new Uint8Array([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
      "binary.md": new Uint8Array([0x23, 0x00, 0x01]),
      "empty.md": "",
      "only-code.md": "```js\nlet x = 1;\n```\n",
      "huge.md": `# Huge\n\n${PROSE.repeat(40)}\n`,
    });
    mkdirSync(join(root, "sub"));
    symlinkSync(root, join(root, "sub", "loop"));
    const { docs, ctx, debug } = await load(root, { paths: ["**/*.md"], max_file_bytes: 2000 });
    expect(docs.map((d) => d.source.path)).toEqual(["copy.md"]);
    expect(ctx.counters).toMatchObject({
      "skipped:invalid_utf8": 1,
      "skipped:binary": 1,
      "skipped:empty": 2,
      "skipped:too_large": 1,
      "skipped:symlink_loop": 1,
      "skipped:duplicate": 1,
    });
    for (const reason of ["invalid_utf8", "binary", "empty", "too_large", "symlink_loop", "duplicate"]) {
      expect(debug.some((m) => m.includes(reason))).toBe(true);
    }
  });

  test("a glob that matches nothing names the glob and the folder", async () => {
    const root = tree({ "a.txt": "x" });
    expect(load(root, { paths: ["docs/*.md"] })).rejects.toThrow(`"docs/*.md" matches no Markdown files`);
    expect(load(root, { paths: ["docs/*.md"] })).rejects.toThrow(`resolved from ${root}`);
  });
});

test("parser processes give the same chunks in the same order as this process, and are gone after", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`d${String(i).padStart(2, "0")}.md`] = `# Doc ${i}\n\n${PROSE.repeat(3 + (i % 5))}\n\n## Part\n\n${PROSE.repeat(3)} ${i}\n`;
  files["zz-empty.md"] = "<!-- nothing but a comment -->\n";
  const root = tree(files);
  const a = await load(root, { paths: ["*.md"], threads: 1 });
  const b = await load(root, { paths: ["*.md"], threads: 3 });
  expect(a.docs.length).toBe(40);
  expect(b.docs).toEqual(a.docs);
  expect(b.ctx.counters).toEqual(a.ctx.counters);
  expect(parserChildren()).toEqual([]);
  const fixtures = [await load(FIXTURES, { paths: ["**/*"], threads: 1 }), await load(FIXTURES, { paths: ["**/*"], threads: 2 })];
  expect(fixtures[1]!.docs).toEqual(fixtures[0]!.docs);
  expect(fixtures[1]!.ctx.counters).toEqual(fixtures[0]!.ctx.counters);
});

const NODE_DOCS = "/usr/share/doc/nodejs/api";
test.skipIf(!existsSync(`${NODE_DOCS}/fs.md`))("Node.js API docs subset: parser processes and this process give the same chunks", async () => {
  const here = await load(NODE_DOCS, { paths: ["[a-d]*.md"], threads: 1 });
  const children = await load(NODE_DOCS, { paths: ["[a-d]*.md"], threads: 2 });
  expect(here.docs.length).toBeGreaterThan(500);
  expect(children.docs).toEqual(here.docs);
  expect(children.ctx.counters).toEqual(here.ctx.counters);
}, 60_000);

test("preflight: min_chars above max_chars is a problem naming both keys", async () => {
  const root = await workspace({ "a.md": "# A\n" });
  const check = (o: Record<string, unknown>) => plugin.preflight!(v.parse(plugin.options!, { paths: ["*.md"], ...o }) as never, { root, env: {} });
  expect(check({})).toBeUndefined();
  expect(check({ min_chars: 3000 })).toEqual(["min_chars (3000) is larger than max_chars (2000): nothing could be kept"]);
});

test("preflight: a path that selects no Markdown file is a problem `ctxc validate` reports", async () => {
  const root = await workspace({ "a.md": "# A\n", "notes.txt": "x" });
  const problems = plugin.preflight!(v.parse(plugin.options!, { paths: ["*.md", "docs/**/*.md", "*.txt"] }) as never, { root, env: {} });
  expect(problems).toEqual([expect.stringContaining('"docs/**/*.md" matches no Markdown files'), expect.stringContaining('"*.txt" matches no Markdown files')]);
});
