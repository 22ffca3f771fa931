// pipeline.toml: read, parse, and validate the top-level tables. Stage options are validated
// later against each plugin's own schema (see plan.ts), with the same kind of messages.
import { basename, dirname, resolve } from "node:path";
import * as v from "valibot";
import { ConfigError, CtxcError, EXIT, type Problem } from "./errors.ts";
import { didYouMean } from "../text/suggest.ts";
import { parseToml } from "./toml.ts";

const Budget = v.strictObject({
  max_usd: v.optional(v.pipe(v.number(), v.minValue(0))),
});

const Split = v.pipe(
  v.tuple([v.number(), v.number(), v.number()]),
  v.check((s) => s.every((x) => x >= 0) && Math.abs(s[0] + s[1] + s[2] - 1) < 1e-6, "split must be three non-negative shares that add up to 1, e.g. [0.8, 0.1, 0.1]"),
);

const DatasetTable = v.strictObject({
  split: v.optional(Split, [0.8, 0.1, 0.1]),
  seed: v.optional(v.pipe(v.number(), v.integer()), 42),
  /** Path (relative to the pipeline file) of the system prompt; the built-in one by default. */
  system_prompt: v.optional(v.string()),
  /** Text put before the original in the user message, e.g. "Compress:\n". */
  user_prefix: v.optional(v.string(), ""),
  /** Rows longer than this many tokens (student tokenizer) are reported. */
  max_seq_length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 2048),
  /** Originals at least this similar (MinHash word-shingle Jaccard) share a split; 1 = exact only. */
  near_duplicate: v.optional(v.pipe(v.number(), v.minValue(0.5), v.maxValue(1)), 0.8),
  /** Tokenizer for the length report (the student's). */
  tokenizer: v.optional(v.string(), "qwen3"),
});

const TopLevel = v.strictObject({
  // The name becomes the default workspace runs/<name>: it must stay one folder inside runs/.
  name: v.optional(
    v.pipe(
      v.string(),
      v.check((n) => n.trim() !== "", "the pipeline name is empty; it names the default workspace runs/<name>"),
      v.check((n) => !/[\/\\\0]/.test(n), "the pipeline name has a path separator; it names one folder (the default workspace runs/<name>), so use letters, digits, - and _"),
      v.check((n) => n !== "." && n !== "..", "the pipeline name cannot be `.` or `..`; it names the default workspace runs/<name>"),
    ),
  ),
  out: v.optional(v.string()),
  budget: v.optional(Budget, {}),
  dataset: v.optional(DatasetTable, {}),
  stages: v.pipe(
    v.array(v.pipe(v.record(v.string(), v.unknown()), v.check((s) => typeof s.use === "string", "every [[stages]] entry needs `use = \"kind/name\"` or a path to a .ts plugin"))),
    v.minLength(1, "a pipeline needs at least one [[stages]] entry"),
  ),
});

export type DatasetConfig = v.InferOutput<typeof DatasetTable>;

export interface RawStage {
  /** 1-based position in the file. */
  index: number;
  use: string;
  /** Optional display name from the TOML (`name = "…"`). */
  name?: string;
  /** Everything else in the table: the plugin's options (and `concurrency`). */
  options: Record<string, unknown>;
  /** Line of the stage's `[[stages]]` header, for messages. */
  line?: number;
  /** Lines of each key inside the stage table. */
  keyLines: Record<string, number>;
}

export interface PipelineConfig {
  file: string;
  /** Folder of the pipeline file: relative paths resolve against it. */
  root: string;
  name: string;
  out: string;
  budget: { max_usd?: number };
  dataset: DatasetConfig;
  stages: RawStage[];
}

export const TOP_LEVEL_KEYS = Object.keys(TopLevel.entries);

export async function readPipelineFile(path: string): Promise<PipelineConfig> {
  const file = resolve(path);
  const f = Bun.file(file);
  if (!(await f.exists())) {
    throw new CtxcError(`pipeline file not found: ${path} (looked in ${dirname(file)})`, {
      hint: "pass the path of a pipeline.toml, or create one with `ctxc init`",
      exitCode: EXIT.invalid,
    });
  }
  const text = await f.text();
  if (text.trim() === "") {
    throw new CtxcError(`${path} is empty`, { hint: "start from `ctxc init`, which writes a commented pipeline.toml", exitCode: EXIT.invalid });
  }
  return parsePipeline(text, path, file);
}

export function parsePipeline(text: string, displayPath: string, absPath: string): PipelineConfig {
  const data = parseToml(text, displayPath);
  const lines = text.split("\n");
  const result = v.safeParse(TopLevel, data);
  if (!result.success) {
    const problems: Problem[] = result.issues.map((issue) => {
      const path = (issue.path ?? []).map((p) => String(p.key));
      const unknownKey = issue.kind === "schema" && issue.type === "strict_object" ? path[path.length - 1] : undefined;
      const known = path.length <= 1 ? TOP_LEVEL_KEYS : Object.keys((path[0] === "budget" ? Budget : DatasetTable).entries);
      return {
        where: displayPath + lineSuffix(lines, path),
        key: unknownKey ? undefined : path.join("."),
        message: unknownKey ? `unknown key \`${path.join(".")}\`` : issue.message,
        hint: unknownKey ? (didYouMean(unknownKey, known) ?? `known keys: ${known.join(", ")}`) : undefined,
      };
    });
    throw new ConfigError(problems);
  }
  const cfg = result.output;
  const stageLines = findStageLines(lines);
  const stages: RawStage[] = cfg.stages.map((table, i) => {
    const { use, name, ...options } = table as Record<string, unknown> & { use: string; name?: unknown };
    return {
      index: i + 1,
      use,
      name: typeof name === "string" ? name : undefined,
      options,
      line: stageLines[i],
      keyLines: findKeyLines(lines, stageLines[i], stageLines[i + 1]),
    };
  });
  const name = cfg.name ?? basename(absPath).replace(/\.toml$/, "");
  return {
    file: absPath,
    root: dirname(absPath),
    name,
    out: resolve(dirname(absPath), cfg.out ?? `runs/${name}`),
    budget: cfg.budget,
    dataset: cfg.dataset,
    stages,
  };
}

function lineSuffix(lines: string[], path: string[]): string {
  const key = path[path.length - 1];
  if (!key) return "";
  const i = lines.findIndex((l) => new RegExp(`^\\s*"?${escapeRe(key)}"?\\s*=`).test(l) || new RegExp(`^\\s*\\[\\s*${escapeRe(key)}\\s*\\]`).test(l));
  return i >= 0 ? `:${i + 1}` : "";
}

function findStageLines(lines: string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*\[\[\s*stages\s*\]\]/.test(l)) out.push(i + 1);
  });
  return out;
}

function findKeyLines(lines: string[], start?: number, end?: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (start === undefined) return out;
  const stop = end ?? lines.length + 1;
  for (let n = start + 1; n < stop; n++) {
    const line = lines[n - 1]!;
    if (/^\s*\[/.test(line)) break;
    const m = /^\s*"?([A-Za-z0-9_.-]+)"?\s*=/.exec(line);
    if (m && out[m[1]!] === undefined) out[m[1]!] = n;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
