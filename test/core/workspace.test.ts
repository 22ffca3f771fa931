// What ctxc may write and delete in `out`: never a user's folder, nothing at all with --estimate,
// and a manifest that never claims more than its files hold.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parsePipeline, readPipelineFile } from "../../src/core/config.ts";
import { CtxcError } from "../../src/core/errors.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { runPipeline, type RunOptions } from "../../src/core/runner.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";

const PIPELINE = (extra = "") =>
  `name = "ws"\nout = "v"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n[[stages]]\nuse = "filter/length"\nmin_tokens = 1\n${extra}`;

async function setup(toml = PIPELINE()) {
  return workspace({ "data/a.jsonl": docsJsonl(Array.from({ length: 12 }, (_, i) => `doc ${i} has some words in it`)), "p.toml": toml });
}

async function run(dir: string, opts: RunOptions = {}) {
  return runPipeline(await buildPlan(await readPipelineFile(join(dir, "p.toml"))), { progress: false, ...opts });
}

async function failure(p: Promise<unknown>): Promise<CtxcError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CtxcError);
  return e as CtxcError;
}

/** Every file under a folder, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, "");
  return out.sort();
}

describe("--out on a folder that is not a workspace", () => {
  test("a non-empty folder without a ctxc manifest is refused (exit 2); nothing in it changes", async () => {
    const dir = await setup();
    mkdirSync(join(dir, "v/01-important"), { recursive: true });
    writeFileSync(join(dir, "v/01-important/f"), "precious");
    writeFileSync(join(dir, "v/manifest.json"), '{"not": "ctxc"}');
    const before = tree(join(dir, "v"));
    const e = await failure(run(dir));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain("is not a ctxc workspace");
    expect(e.hint).toContain("--force-out");
    expect(tree(join(dir, "v"))).toEqual(before);
    // --estimate neither deletes nor writes anything there either.
    await run(dir, { estimate: true });
    expect(tree(join(dir, "v"))).toEqual(before);
  }, 30_000);

  test("with --force-out, ctxc writes beside the user's files and deletes none of them, even stage-like folders", async () => {
    const dir = await setup();
    mkdirSync(join(dir, "v/07-mine/sub"), { recursive: true });
    writeFileSync(join(dir, "v/07-mine/sub/f"), "precious");
    mkdirSync(join(dir, "v/dataset-notes"), { recursive: true });
    writeFileSync(join(dir, "v/notes.txt"), "mine");
    const s = await run(dir, { forceOut: true });
    expect(s.status).toBe("completed");
    expect(readFileSync(join(dir, "v/07-mine/sub/f"), "utf8")).toBe("precious");
    expect(readFileSync(join(dir, "v/notes.txt"), "utf8")).toBe("mine");
    // Now a workspace: re-runs need no flag, and a user folder that looks like a stage of a
    // changed pipeline is still not pruned (only folders the manifest lists are).
    await Bun.write(join(dir, "p.toml"), PIPELINE().replace("min_tokens = 1", "min_tokens = 2"));
    await run(dir);
    expect(existsSync(join(dir, "v/07-mine/sub/f"))).toBe(true);
  }, 30_000);

  test("a stage folder the manifest does not list is the user's: refused, not emptied", async () => {
    const dir = await setup();
    await run(dir);
    mkdirSync(join(dir, "v/03-filter-ratio"), { recursive: true });
    writeFileSync(join(dir, "v/03-filter-ratio/keep"), "mine");
    await Bun.write(join(dir, "p.toml"), PIPELINE('[[stages]]\nuse = "filter/ratio"\n'));
    const e = await failure(run(dir));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain("exists but ctxc did not write it");
    expect(readFileSync(join(dir, "v/03-filter-ratio/keep"), "utf8")).toBe("mine");
  }, 30_000);

  test("a stage removed from the pipeline has its folder pruned (the manifest lists it)", async () => {
    const dir = await setup(PIPELINE('[[stages]]\nuse = "filter/dedup"\n'));
    await run(dir);
    expect(existsSync(join(dir, "v/03-filter-dedup"))).toBe(true);
    await Bun.write(join(dir, "p.toml"), PIPELINE());
    await run(dir);
    expect(existsSync(join(dir, "v/03-filter-dedup"))).toBe(false);
  }, 30_000);

  test("--estimate on an existing workspace changes nothing in it (not even SQLite's -wal/-shm files)", async () => {
    const dir = await setup(PIPELINE('[[stages]]\nuse = "generator/rules"\n'));
    await run(dir);
    const stamp = () => tree(join(dir, "v")).map((f) => `${f} ${Bun.file(join(dir, "v", f)).size} ${Bun.file(join(dir, "v", f)).lastModified}`);
    const before = stamp();
    const s = await run(dir, { estimate: true });
    expect(s.out).toBe(join(dir, "v"));
    expect(stamp()).toEqual(before);
  }, 30_000);

  test("--estimate on a new folder creates nothing", async () => {
    const dir = await setup();
    await run(dir, { estimate: true });
    expect(existsSync(join(dir, "v"))).toBe(false);
  }, 30_000);
});

describe("the manifest never claims what its files don't hold", () => {
  test("a truncated or deleted stage output is noticed: the stage runs again", async () => {
    const dir = await setup();
    await run(dir);
    const out = join(dir, "v/01-loader-jsonl/out.jsonl");
    const full = readFileSync(out, "utf8");
    writeFileSync(out, full.split("\n").slice(0, 3).join("\n") + "\n");
    const again = await run(dir);
    expect(again.stages.map((s) => s.outcome)).toEqual(["ran", "ran"]);
    expect(readFileSync(out, "utf8")).toBe(full);
    expect(again.dataset?.counts).toEqual((await run(dir)).dataset!.counts);
  }, 30_000);

  test("a damaged dataset file is rebuilt instead of trusted", async () => {
    const dir = await setup(PIPELINE('[[stages]]\nuse = "generator/rules"\n'));
    const first = await run(dir);
    expect(first.dataset!.counts!.train).toBeGreaterThan(0);
    writeFileSync(join(dir, "v/dataset/train.jsonl"), "");
    const again = await run(dir);
    expect(again.dataset?.outcome).toBe("ran");
    expect(again.dataset?.counts).toEqual(first.dataset!.counts);
  }, 30_000);
});

describe("pipeline name", () => {
  test("must be one folder name: not empty, no path separator, not . or ..", () => {
    for (const name of ["", "../../../../tmp/x", "a/b", "a\\\\b", ".", ".."]) {
      expect(() => parsePipeline(`name = "${name}"\n[[stages]]\nuse = "loader/jsonl"\n`, "p.toml", "/w/p.toml")).toThrow(/pipeline name/);
    }
    expect(parsePipeline('name = "ok-1"\n[[stages]]\nuse = "loader/jsonl"\n', "p.toml", "/w/p.toml").out).toBe("/w/runs/ok-1");
  }, 30_000);
});
