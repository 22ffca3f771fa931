import { describe, expect, test } from "bun:test";
import { parsePipeline, readPipelineFile } from "../../src/core/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { tempDir } from "../helpers/cli.ts";
import { errorOf } from "../helpers/errors.ts";

const parse = (text: string) => parsePipeline(text, "pipeline.toml", "/work/x/pipeline.toml");

describe("pipeline.toml", () => {
  test("a TOML syntax error names line and column and shows the line", () => {
    const e = errorOf(() => parse('name = "x"\n\n[[stages]]\nuse = loader/jsonl\n'));
    expect(e.message).toContain("pipeline.toml:4:");
    expect(e.message).toContain("TOML syntax error");
    expect(e.message).toContain("use = loader/jsonl");
    expect(e.exitCode).toBe(2);
    expect(e.hint).toBeTruthy();
  });

  test("an unknown top-level key suggests the nearest one", () => {
    const e = errorOf(() => parse('nmae = "x"\n[[stages]]\nuse = "loader/jsonl"\n')) as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain("unknown key `nmae`");
    expect(e.message).toContain("did you mean `name`?");
    expect(e.message).toContain("pipeline.toml:1");
  });

  test("[tracking]: the MLflow URI and experiment; absent means no tracking; a misspelt key or a non-URL is named", () => {
    expect(parse('[tracking]\nmlflow = "http://127.0.0.1:5000"\nexperiment = "ctxc"\n[[stages]]\nuse = "loader/jsonl"\n').tracking).toEqual({ mlflow: "http://127.0.0.1:5000", experiment: "ctxc" });
    expect(parse('[[stages]]\nuse = "loader/jsonl"\n').tracking).toEqual({});
    const typo = errorOf(() => parse('[tracking]\nmlfow = "http://x"\n[[stages]]\nuse = "loader/jsonl"\n'));
    expect(typo.message).toContain("unknown key `tracking.mlfow`");
    expect(typo.message).toContain("did you mean `mlflow`?");
    const bad = errorOf(() => parse('[tracking]\nmlflow = "127.0.0.1:5000"\n[[stages]]\nuse = "loader/jsonl"\n'));
    expect(bad.message).toContain("tracking.mlflow must be the tracking server's http(s) URL");
  });

  test("a wrong type in [dataset] names the key", () => {
    const e = errorOf(() => parse('[dataset]\nseed = "abc"\n[[stages]]\nuse = "loader/jsonl"\n'));
    expect(e.message).toContain("dataset.seed");
    expect(e.message).toContain(":2");
  });

  test("split shares must add up to 1", () => {
    const e = errorOf(() => parse('[dataset]\nsplit = [0.5, 0.1, 0.1]\n[[stages]]\nuse = "loader/jsonl"\n'));
    expect(e.message).toContain("add up to 1");
  });

  test("no stages is an error", () => {
    expect(errorOf(() => parse('name = "x"\n')).message).toContain("stages");
  });

  test("stages keep order, options, and the lines of their keys", () => {
    const cfg = parse('name = "n"\nout = "o"\n\n[[stages]]\nuse = "loader/jsonl"\npaths = ["a.jsonl"]\n\n[[stages]]\nuse = "generator/rules"\nname = "baseline"\n');
    expect(cfg.out).toBe("/work/x/o");
    expect(cfg.stages.map((s) => s.use)).toEqual(["loader/jsonl", "generator/rules"]);
    expect(cfg.stages[0]!.options).toEqual({ paths: ["a.jsonl"] });
    expect(cfg.stages[0]!.keyLines.paths).toBe(6);
    expect(cfg.stages[1]!.name).toBe("baseline");
    expect(cfg.stages[1]!.line).toBe(8);
    expect(cfg.dataset).toEqual({ split: [0.8, 0.1, 0.1], seed: 42, user_prefix: "", max_seq_length: 2048, near_duplicate: 0.8, tokenizer: "qwen3" });
  });

  test("missing and empty files get clear errors", async () => {
    const dir = tempDir();
    await expect(readPipelineFile(`${dir}/nope.toml`)).rejects.toThrow(/pipeline file not found/);
    await Bun.write(`${dir}/empty.toml`, "  \n");
    await expect(readPipelineFile(`${dir}/empty.toml`)).rejects.toThrow(/is empty/);
  });
});
