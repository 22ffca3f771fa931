import { describe, expect, test } from "bun:test";
import { cpSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/loaders/jsonl.ts";
import { testContext } from "../../helpers/context.ts";
import { REPO, tempDir, workspace } from "../../helpers/cli.ts";
import { loadDocs, testLoaderConformance } from "../_conformance.ts";

const PAIRS = join(REPO, "data/compression-layer-v1"); // the same bytes as ../shared's copy

const load = (options: Record<string, unknown>, root: string) => loadDocs(plugin, root, options);

testLoaderConformance(plugin, { paths: ["*.jsonl"] }, PAIRS);

describe("loader/jsonl", () => {
  test("reads the shared chat pairs: original = user minus the prefix, compressed = assistant", async () => {
    const { docs, ctx } = await load({ paths: ["train.jsonl", "valid.jsonl"] }, PAIRS);
    expect(docs).toHaveLength(1978);
    expect(ctx.counters).toEqual({});
    expect(docs.every((d) => !d.text.startsWith("Compress:") && typeof d.compressed === "string")).toBe(true);
    const code = docs.filter((d) => d.domain === "code").length;
    expect(code).toBeGreaterThan(800);
    expect(docs.length - code).toBeGreaterThan(800);
  });

  test("doc rows keep id, domain and compressed; rows without text are counted, not fatal", async () => {
    const root = await workspace({
      "a.jsonl": [
        JSON.stringify({ id: "x1", text: "hello", domain: "nl", compressed: "hi" }),
        JSON.stringify({ nope: 1 }),
        JSON.stringify({ text: "   " }),
        JSON.stringify([1, 2]),
        "",
      ].join("\n"),
    });
    const { docs, ctx } = await load({ paths: ["a.jsonl"] }, root);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ id: "x1", text: "hello", domain: "nl", compressed: "hi", source: { path: "a.jsonl", start: 1, unit: "row" } });
    expect(ctx.counters).toEqual({ "skipped:no_text": 1, "skipped:empty_text": 1, "skipped:not_an_object": 1 });
  });

  test("rows longer than max_row_bytes are skipped and counted with the reason; the rest is read", async () => {
    const long = JSON.stringify({ text: "word ".repeat(400) }); // 2,012 bytes
    const root = await workspace({ "a.jsonl": [JSON.stringify({ text: "short one" }), long, JSON.stringify({ text: "short two" })].join("\n") + "\n" });
    const { docs, ctx } = await load({ paths: ["a.jsonl"], max_row_bytes: 1000 }, root);
    expect(docs.map((d) => d.text)).toEqual(["short one", "short two"]);
    expect(ctx.counters).toEqual({ "skipped:row_too_long": 1 });
    expect((await load({ paths: ["a.jsonl"] }, root)).docs).toHaveLength(3);
    expect(v.parse(plugin.options!, { paths: ["a.jsonl"] }).max_row_bytes).toBe(16 * 1024 * 1024);
  });

  test("preflight: a path that selects nothing, or a symlink loop, is a problem `ctxc validate` reports", async () => {
    const root = await workspace({ "a.jsonl": "" });
    symlinkSync(join(root, "loop-b"), join(root, "loop-a"));
    symlinkSync(join(root, "loop-a"), join(root, "loop-b"));
    const problems = plugin.preflight!(v.parse(plugin.options!, { paths: ["a.jsonl", "data/*.jsonl", "loop-a"] }) as never, { root, env: {} });
    expect(problems).toEqual([
      `the glob \`data/*.jsonl\` matches no file (resolved from ${root}); check the path or glob; relative ones are resolved from the pipeline file's folder`,
      expect.stringContaining("`loop-a` is a symbolic link loop"),
    ]);
    expect(plugin.preflight!(v.parse(plugin.options!, { paths: ["a.jsonl"] }) as never, { root, env: {} })).toEqual([]);
  });

  test("a glob or path that matches nothing names it and the folder", async () => {
    const root = await workspace({ "a.jsonl": "" });
    await expect(load({ paths: ["data/*.jsonl"] }, root)).rejects.toThrow(`the glob \`data/*.jsonl\` matches no file (resolved from ${root})`);
    await expect(load({ paths: ["missing.jsonl"] }, root)).rejects.toThrow("no file matches `missing.jsonl`");
  });

  test("limit and a forced domain", async () => {
    const { docs } = await load({ paths: ["valid.jsonl"], limit: 5, domain: "mixed" }, PAIRS);
    expect(docs).toHaveLength(5);
    expect(docs.every((d) => d.domain === "mixed")).toBe(true);
  });

  test("the fingerprint changes when a file changes", async () => {
    const root = await workspace({ "a.jsonl": '{"text":"one"}\n' });
    const opts = v.parse(plugin.options!, { paths: ["*.jsonl"] });
    const before = await plugin.fingerprint!(opts, testContext({ root }));
    await Bun.sleep(5);
    await Bun.write(join(root, "a.jsonl"), '{"text":"one"}\n{"text":"two"}\n');
    expect(await plugin.fingerprint!(opts, testContext({ root }))).not.toBe(before);
  });

  test("a folder means its .jsonl files; a file named explicitly is read whatever its extension", async () => {
    const row = (text: string) => `${JSON.stringify({ text })}\n`;
    const root = await workspace({ "data/a.jsonl": row("from a"), "data/notes.txt": row("not a dataset"), "extra.ndjson": row("named") });
    const { docs } = await load({ paths: ["data", "extra.ndjson"] }, root);
    expect(docs.map((d) => [d.source.path, d.text])).toEqual([["data/a.jsonl", "from a"], ["extra.ndjson", "named"]]);
  });

  test("the fingerprint survives moving the project (it hashes relative paths)", async () => {
    const root = await workspace({ "data/a.jsonl": '{"text":"one"}\n' });
    const moved = join(tempDir(), "moved");
    cpSync(root, moved, { recursive: true, preserveTimestamps: true });
    const opts = v.parse(plugin.options!, { paths: ["data/*.jsonl"] });
    expect(await plugin.fingerprint!(opts, testContext({ root: moved }))).toBe(await plugin.fingerprint!(opts, testContext({ root })));
  });
});
