import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, docsJsonl, tempDir, workspace } from "../helpers/cli.ts";

const LOADER = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\n';

describe("ctxc CLI", () => {
  test("--version prints version, target and commit", async () => {
    const r = await ctxc(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ctxc \d+\.\d+\.\d+ \(.+, commit .+, bun \d/);
  });

  test("--help on every command shows usage and examples", async () => {
    for (const cmd of ["run", "validate", "plugins", "plugin", "init", "doctor", "tokens", "inspect", "cache", "costs", "batches", "runs"]) {
      const r = await ctxc([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("USAGE");
      expect(r.stdout).toContain("EXAMPLES");
    }
  });

  test("an unknown command suggests the nearest", async () => {
    const r = await ctxc(["valdate", "x.toml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `validate`?");
  });

  test("validate: exit 0 when valid, 2 with a located message when not, no stack trace", async () => {
    const dir = await workspace({ "data/a.jsonl": docsJsonl(["hi there"]), "ok.toml": LOADER, "bad.toml": `${LOADER}bogus = 1\n` });
    const ok = await ctxc(["validate", "ok.toml"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("valid");
    const bad = await ctxc(["validate", "bad.toml"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad.toml:4: stage 1 (loader/jsonl): option `bogus`: unknown option `bogus`");
    expect(bad.stderr).not.toContain("    at ");
    const json = await ctxc(["validate", "bad.toml", "--json"], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).valid).toBe(false);
    const missing = await ctxc(["validate", "nope.toml"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("pipeline file not found: nope.toml");
  });

  test("plugins --json lists every built-in with options generated from its schema", async () => {
    const r = await ctxc(["plugins", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ use: string; kind: string; version: string; options: Array<{ key: string; type: string; description?: string }> }>;
    const jsonl = list.find((p) => p.use === "loader/jsonl")!;
    expect(jsonl.kind).toBe("loader");
    expect(jsonl.options.find((o) => o.key === "paths")).toMatchObject({ type: "string[]", required: true });
    for (const p of list) for (const o of p.options) expect(o.description, `${p.use}.${o.key} has no description`).toBeTruthy();
    const text = await ctxc(["plugins"]);
    expect(text.stdout).toContain("loader/jsonl  (loader, v");
  });

  test("init writes a starter pipeline that validates once its data exists", async () => {
    const dir = tempDir();
    expect((await ctxc(["init", dir])).code).toBe(0);
    expect(readFileSync(join(dir, "pipeline.toml"), "utf8")).toContain("[[stages]]");
    expect((await ctxc(["init", dir])).code).toBe(2); // refuses to overwrite
    await Bun.write(join(dir, "data/a.jsonl"), docsJsonl(["some text to compress here"]));
    const v = await ctxc(["validate", "pipeline.toml"], { cwd: dir });
    expect(v.stderr).toBe("");
    expect(v.code).toBe(0);
  });

  test("plugin new scaffolds a filter that runs in a pipeline and type-checks", async () => {
    const dir = await workspace({ "data/a.jsonl": docsJsonl(["keep this one", "TODO drop this one"]) });
    const r = await ctxc(["plugin", "new", "filter", "no-todo"], { cwd: dir });
    expect(r.code).toBe(0);
    const src = readFileSync(join(dir, "plugins/no-todo.ts"), "utf8");
    expect(src).toContain('import { defineFilter, v } from "ctxc"');
    expect(readFileSync(join(dir, "plugins/ctxc.d.ts"), "utf8")).toContain('declare module "ctxc"');
    await Bun.write(join(dir, "pipeline.toml"), `out = "out"\n${LOADER}\n[[stages]]\nuse = "./plugins/no-todo.ts"\n`);
    const run = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.stages[1]).toMatchObject({ outcome: "ran", in: 2, out: 1, rejected: { banned_word: 1 } });
    // The declarations let TypeScript check the scaffold with no node_modules.
    const tsc = Bun.spawnSync([join(import.meta.dir, "../../node_modules/.bin/tsc"), "--noEmit", "--strict", "--target", "esnext", "--module", "preserve", "--lib", "esnext,dom", "--types", "", "plugins/no-todo.ts"], { cwd: dir });
    expect(tsc.stdout.toString() + tsc.stderr.toString()).toBe("");
    expect(tsc.exitCode).toBe(0);
  });

  test("doctor lists key names, never values", async () => {
    const secret = "fake-doctor-key-value-1234567890";
    const r = await ctxc(["doctor", "--json"], { env: { ANTHROPIC_API_KEY: secret } });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const checks = JSON.parse(r.stdout) as Array<{ name: string; ok: boolean; detail: string }>;
    expect(checks.find((c) => c.name === "ANTHROPIC_API_KEY")).toMatchObject({ ok: true, detail: "set" });
    expect(checks.find((c) => c.name === "python")).toBeDefined();
  });

  test("run --json prints one summary; a failing plugin file gives a clear message and exit 2", async () => {
    const dir = await workspace({ "data/a.jsonl": docsJsonl(["hello there world"]), "bad.ts": "export default {{;", "p.toml": `out = "o"\n${LOADER}\n[[stages]]\nuse = "./bad.ts"\n` });
    const r = await ctxc(["run", "p.toml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("could not load plugin file ./bad.ts");
    expect(existsSync(join(dir, "o"))).toBe(false); // validation happens before anything is written
  });

  test("Ctrl-C mid-stage: exit 130, outputs saved, the next run finishes without redoing cached work", async () => {
    const gen = `import { defineGenerator } from "ctxc";
import { appendFileSync } from "node:fs";
export default defineGenerator({
  name: "generator/slow", version: "1", concurrency: 4,
  async generate(doc, _opts, ctx) {
    const key = ctx.cache.key({ t: doc.text });
    const hit = ctx.cache.get<string>(key);
    if (hit !== undefined) return { ...doc, compressed: hit };
    appendFileSync(${JSON.stringify("CALLS")}, doc.id + "\\n");
    await Bun.sleep(20);
    ctx.cache.set(key, doc.text.slice(0, 5));
    return { ...doc, compressed: doc.text.slice(0, 5) };
  },
});
`;
    const dir = await workspace({ "data/a.jsonl": docsJsonl(Array.from({ length: 400 }, (_, i) => `document ${i}`)) });
    const callsFile = join(dir, "calls.log");
    await Bun.write(join(dir, "gen.ts"), gen.replace('"CALLS"', JSON.stringify(callsFile)));
    await Bun.write(join(dir, "p.toml"), `out = "o"\n${LOADER}\n[[stages]]\nuse = "./gen.ts"\n`);
    const count = () => (existsSync(callsFile) ? readFileSync(callsFile, "utf8").trim().split("\n").length : 0);
    const p = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/cli/main.ts"), "run", "p.toml"], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    while (count() < 40) await Bun.sleep(10);
    p.kill("SIGINT");
    const code = await p.exited;
    const stderr = await new Response(p.stderr).text();
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted");
    const first = count();
    expect(first).toBeLessThan(400);
    const manifest = JSON.parse(readFileSync(join(dir, "o/manifest.json"), "utf8"));
    expect(manifest.stages["02-generator-slow"].status).toBe("interrupted");
    const again = await ctxc(["run", "p.toml", "--json"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "o/02-generator-slow/out.jsonl"), "utf8").trim().split("\n")).toHaveLength(400);
    expect(count()).toBe(400); // every doc computed exactly once across both runs
  });
});
