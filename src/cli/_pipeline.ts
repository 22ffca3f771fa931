// Load and check a pipeline file: parse, resolve plugins, validate options and order. Shared by
// `run` and `validate`, so both report exactly the same problems.
import { resolve } from "node:path";
import { readPipelineFile } from "../core/config.ts";
import { buildPlan, type Plan } from "../core/plan.ts";

export async function loadPlan(file: string, overrides: { out?: string } = {}): Promise<Plan> {
  const config = await readPipelineFile(file);
  if (overrides.out) config.out = resolve(overrides.out);
  return buildPlan(config);
}
