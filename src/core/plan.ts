// From a parsed pipeline to a checked plan: every stage's plugin resolved, its options validated,
// the stage order checked, preflight checks run — all before any stage does work, and every
// problem reported at once (a typo in stage 7 fails in milliseconds, not after an hour).
import { join } from "node:path";
import type { Plugin } from "../sdk/types.ts";
import { addSecretsFromEnv, secretEnvNamesIn } from "../text/redact.ts";
import type { PipelineConfig, RawStage } from "./config.ts";
import { ConfigError, CtxcError, type Problem } from "./errors.ts";
import { schemaKeys, validateOptions } from "./options.ts";
import { resolvePlugin } from "./registry.ts";

export interface PlannedStage {
  index: number;
  use: string;
  plugin: Plugin;
  /** Options after validation, defaults applied. */
  options: Record<string, unknown>;
  /** In-flight limit for generators and filters. */
  concurrency: number;
  /** Folder name, `NN-name`; also the stage's label in logs. */
  label: string;
  dir: string;
  codeHash?: string;
}

export interface Plan {
  config: PipelineConfig;
  stages: PlannedStage[];
  /** The loaders, generators and filters, in order; the dataset step follows the last of them. */
  recordStages: PlannedStage[];
  trainer?: PlannedStage;
  evaluators: PlannedStage[];
}

const RECORD_KINDS = new Set(["loader", "generator", "filter"]);

export async function buildPlan(config: PipelineConfig, env: Record<string, string | undefined> = process.env): Promise<Plan> {
  const problems: Problem[] = [];
  const where = (s: RawStage, key?: string) => {
    const line = key ? (s.keyLines[key] ?? s.line) : s.line;
    return line ? `${relName(config)}:${line}` : relName(config);
  };
  const stages: PlannedStage[] = [];
  for (const raw of config.stages) {
    const stageName = `stage ${raw.index} (${raw.use})`;
    let resolved;
    try {
      resolved = await resolvePlugin(raw.use, config.root);
    } catch (e) {
      const err = e as CtxcError;
      problems.push({ where: where(raw, "use"), stage: stageName, message: err.message, hint: err.hint });
      continue;
    }
    const { plugin } = resolved;
    const { concurrency: rawConcurrency, ...rest } = raw.options;
    const pluginTakesConcurrency = schemaKeys(plugin.options)?.includes("concurrency") ?? false;
    const optionsIn = pluginTakesConcurrency && rawConcurrency !== undefined ? { ...rest, concurrency: rawConcurrency } : rest;
    if (rawConcurrency !== undefined && !pluginTakesConcurrency) {
      if (plugin.kind !== "generator" && plugin.kind !== "filter") {
        problems.push({ where: where(raw, "concurrency"), stage: stageName, key: "concurrency", message: `a ${plugin.kind} has no concurrency setting`, hint: "remove the key" });
      } else if (typeof rawConcurrency !== "number" || !Number.isInteger(rawConcurrency) || rawConcurrency < 1) {
        problems.push({ where: where(raw, "concurrency"), stage: stageName, key: "concurrency", message: `must be a whole number ≥ 1, got ${JSON.stringify(rawConcurrency)}` });
      }
    }
    // A variable the stage names for its key (`api_key_env = "MY_KEY"`) is a secret to redact.
    addSecretsFromEnv(secretEnvNamesIn(raw.options), env);
    const checked = validateOptions(plugin, optionsIn);
    if (!checked.ok) {
      for (const issue of checked.issues) {
        problems.push({ where: where(raw, issue.key?.split(".")[0]), stage: `stage ${raw.index} (${plugin.name})`, key: issue.key, message: issue.message, hint: issue.hint });
      }
      continue;
    }
    for (const message of plugin.preflight?.(checked.value as never, { root: config.root, env }) ?? []) {
      problems.push({ where: where(raw), stage: `stage ${raw.index} (${plugin.name})`, message });
    }
    const optConcurrency = checked.value.concurrency;
    const concurrency =
      typeof optConcurrency === "number" ? optConcurrency
      : typeof rawConcurrency === "number" ? rawConcurrency
      : ((plugin as { concurrency?: number }).concurrency ?? 1);
    const label = `${String(raw.index).padStart(2, "0")}-${slug(raw.name ?? plugin.name)}`;
    stages.push({
      index: raw.index,
      use: raw.use,
      plugin,
      options: checked.value,
      concurrency: Math.max(1, Math.floor(concurrency)),
      label,
      dir: join(config.out, label),
      codeHash: resolved.codeHash,
    });
  }
  if (problems.length === 0) problems.push(...checkOrder(config, stages));
  if (problems.length > 0) throw new ConfigError(problems);
  const recordStages = stages.filter((s) => RECORD_KINDS.has(s.plugin.kind));
  return {
    config,
    stages,
    recordStages,
    trainer: stages.find((s) => s.plugin.kind === "trainer"),
    evaluators: stages.filter((s) => s.plugin.kind === "evaluator"),
  };
}

/** Stage order: loaders first; record stages before the trainer; evaluators after it; one trainer. */
function checkOrder(config: PipelineConfig, stages: PlannedStage[]): Problem[] {
  const problems: Problem[] = [];
  const at = (s: PlannedStage) => {
    const line = config.stages[s.index - 1]?.line;
    return { where: line ? `${relName(config)}:${line}` : relName(config), stage: `stage ${s.index} (${s.plugin.name})` };
  };
  const first = stages[0];
  if (first && first.plugin.kind !== "loader") {
    problems.push({ ...at(first), message: `a pipeline starts with a loader, but stage 1 is a ${first.plugin.kind}`, hint: 'add a loader first, e.g. [[stages]] use = "loader/jsonl"' });
  }
  let trainerSeen: PlannedStage | undefined;
  let tailSeen: PlannedStage | undefined;
  for (const s of stages) {
    const kind = s.plugin.kind;
    if (RECORD_KINDS.has(kind) && tailSeen) {
      problems.push({ ...at(s), message: `a ${kind} cannot come after the ${tailSeen.plugin.kind} in stage ${tailSeen.index}`, hint: "record stages (loaders, generators, filters) come first, then the trainer, then evaluators" });
    }
    if (kind === "trainer") {
      if (trainerSeen) problems.push({ ...at(s), message: `a pipeline has at most one trainer (stage ${trainerSeen.index} is one already)` });
      if (tailSeen?.plugin.kind === "evaluator") problems.push({ ...at(s), message: `the trainer must come before the evaluator in stage ${tailSeen.index}` });
      trainerSeen = s;
    }
    if (kind === "trainer" || kind === "evaluator") tailSeen = s;
  }
  return problems;
}

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "stage";
}

function relName(config: PipelineConfig): string {
  const rel = config.file.startsWith(process.cwd() + "/") ? config.file.slice(process.cwd().length + 1) : config.file;
  return rel;
}
