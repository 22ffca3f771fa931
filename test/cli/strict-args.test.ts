// Strict command lines: every command registered in main.ts (and any sub-command) refuses an
// unknown flag and an extra positional with exit 2, and accepts each example its --help shows.
import { describe, expect, test } from "bun:test";
import type { ArgDef, CommandDef } from "citty";
import { COMMANDS, cli } from "../../src/cli/main.ts";
import { checkArgv } from "../../src/cli/strict-args.ts";
import { CtxcError } from "../../src/core/errors.ts";
import { ctxc, tempDir } from "../helpers/cli.ts";

interface Walked {
  path: string;
  cmd: CommandDef<any>;
  examples: string[];
}

const value = async <T>(v: T | Promise<T> | (() => T | Promise<T>)): Promise<T> => (typeof v === "function" ? await (v as () => T)() : await v);

/** Every command and sub-command, with the words that reach it. */
async function walk(): Promise<Walked[]> {
  const out: Walked[] = [];
  const visit = async (path: string, cmd: CommandDef<any>, examples: string[]) => {
    out.push({ path, cmd, examples });
    const subs = cmd.subCommands ? await value(cmd.subCommands) : {};
    for (const [name, sub] of Object.entries(subs)) await visit(`${path} ${name}`, (await value(sub)) as CommandDef<any>, []);
  };
  for (const [name, load] of Object.entries(COMMANDS)) {
    const mod = await load();
    await visit(`ctxc ${name}`, mod.default, mod.examples ?? []);
  }
  return out;
}

async function refusal(cmd: CommandDef<any>, argv: string[], path: string): Promise<CtxcError | undefined> {
  try {
    await checkArgv(cmd, argv, path);
    return undefined;
  } catch (e) {
    return e as CtxcError;
  }
}

/** Words that fill every declared positional, so only the thing under test is wrong. */
async function fillPositionals(cmd: CommandDef<any>): Promise<string[]> {
  const args = (await value(cmd.args ?? {})) as Record<string, ArgDef>;
  return Object.values(args).filter((d) => d.type === "positional").map((_, i) => `word${i}`);
}

describe("every command", async () => {
  const commands = await walk();

  test("the walk found every command of main.ts", () => {
    expect(commands.map((c) => c.path)).toEqual(expect.arrayContaining(Object.keys(COMMANDS).map((n) => `ctxc ${n}`)));
  });

  for (const { path, cmd, examples } of commands) {
    test(`${path}: an unknown flag is refused with exit 2`, async () => {
      const e = await refusal(cmd, [...(await fillPositionals(cmd)), "--no-such-flag"], path);
      expect(e).toBeInstanceOf(CtxcError);
      expect(e!.exitCode).toBe(2);
      expect(e!.message).toContain("--no-such-flag");
    });

    test(`${path}: an extra positional is refused with exit 2 (accepted by a variadic one)`, async () => {
      const args = (await value(cmd.args ?? {})) as Record<string, ArgDef>;
      const variadic = Object.values(args).some((d) => d.type === "positional" && /(\.\.\.|…)$/.test(d.valueHint ?? ""));
      const e = await refusal(cmd, [...(await fillPositionals(cmd)), "extra-word"], path);
      if (variadic) return expect(e).toBeUndefined();
      expect(e).toBeInstanceOf(CtxcError);
      expect(e!.exitCode).toBe(2);
      expect(e!.message).toContain('"extra-word"');
    });

    test(`${path}: every flag that takes a value refuses to go without one`, async () => {
      const args = (await value(cmd.args ?? {})) as Record<string, ArgDef>;
      for (const [name, def] of Object.entries(args)) {
        if (def.type !== "string" && def.type !== "enum") continue;
        const e = await refusal(cmd, [...(await fillPositionals(cmd)), `--${name}`], path);
        expect(e?.message).toBe(`--${name} needs a value`);
        expect(e?.exitCode).toBe(2);
      }
    });

    test(`${path}: the examples its --help shows are accepted`, async () => {
      for (const line of examples) {
        if (!line.includes(path)) continue; // e.g. serve's `curl …` showing how to call it
        // "cmd args     what it does": the command line is before the wide gap; of a shell
        // pipeline (`|`, `&&`), the part that runs this command.
        const shell = line.split(/\s{2,}/)[0]!.split(/\s*(?:\|\||&&|\||>)\s*/);
        // Leading VAR=value assignments are the shell's, not the command's.
        const words = shell.map((part) => part.trim().split(/\s+/).filter((w, i, all) => !all.slice(0, i + 1).every((x) => /^[A-Z_][A-Z0-9_]*=/.test(x)))).find((w) => w.slice(0, 2).join(" ") === path);
        expect(words).toBeDefined();
        expect(await refusal(cmd, words!.slice(2), path)).toBeUndefined();
      }
    });
  }
});

describe("the reported cases", () => {
  const run = async () => (await import("../../src/cli/run.ts")).default;
  const inspect = async () => (await import("../../src/cli/inspect.ts")).default;

  test("a mistyped flag names the nearest valid one", async () => {
    const e = await refusal(await run(), ["p.toml", "--estimat"], "ctxc run");
    expect(e?.message).toContain("--estimat");
    expect(e?.hint).toContain("`--estimate`");
  });

  test("a string flag at the end, or before another flag, has no value", async () => {
    expect((await refusal(await run(), ["p.toml", "--only"], "ctxc run"))?.message).toBe("--only needs a value");
    expect((await refusal(await run(), ["p.toml", "--only", "--json"], "ctxc run"))?.message).toBe("--only needs a value");
    expect((await refusal(await run(), ["p.toml", "--only="], "ctxc run"))?.message).toBe("--only needs a value");
    expect(await refusal(await run(), ["p.toml", "--only", "2", "--out=x", "--json"], "ctxc run")).toBeUndefined();
  });

  test("badly typed values are refused: numbers, enums, switches", async () => {
    expect((await refusal(await inspect(), ["dir", "--seed", "abc"], "ctxc inspect"))?.message).toContain('--seed must be a whole number');
    expect((await refusal(await inspect(), ["dir", "-n", "x"], "ctxc inspect"))?.message).toContain('--sample must be a whole number');
    expect((await refusal(await inspect(), ["dir", "--only", "kep"], "ctxc inspect"))?.hint).toContain("--only kept");
    expect((await refusal(await run(), ["p.toml", "--json=yes"], "ctxc run"))?.message).toContain("takes no value");
    expect(await refusal(await inspect(), ["dir", "-n5", "--seed=7", "-q", "--no-json"], "ctxc inspect")).toBeUndefined();
  });

  test("after --, words are positionals", async () => {
    expect(await refusal(await run(), ["--", "-odd-name.toml"], "ctxc run")).toBeUndefined();
    expect((await refusal(await run(), ["p.toml", "--", "--json"], "ctxc run"))?.message).toContain('"--json"');
  });

  test("a mistyped cache or batches action is not taken for a pipeline path", async () => {
    const dir = tempDir();
    for (const [argv, hint] of [[["cache", "claer", "p.toml"], "ctxc cache clear"], [["cache", "bogus"], "stats, clear"], [["batches", "cancle", "x"], "ctxc batches cancel"]] as const) {
      const r = await ctxc([...argv], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(hint);
    }
  });

  test("`ctxc run p.toml --estimat` exits 2 before reading the pipeline", async () => {
    const dir = tempDir();
    const r = await ctxc(["run", "missing.toml", "--estimat"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `--estimate`?");
    expect(r.stderr).not.toContain("missing.toml");
  });

  test("in-process cli() returns 2 for an unknown flag", async () => {
    const write = process.stderr.write.bind(process.stderr);
    let err = "";
    process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
    try {
      expect(await cli(["validate", "p.toml", "--jsn"])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err).toContain("did you mean `--json`?");
  });
});
