// `--only STAGE` / `--from STAGE`: a stage named by its number (3), folder (03-filter-ratio),
// name (filter-ratio), or use (filter/ratio); `dataset` names the dataset step.
import { CtxcError, EXIT } from "./errors.ts";
import type { Plan, PlannedStage } from "./plan.ts";
import { didYouMean } from "../text/suggest.ts";

export function selectStage(plan: Plan, query: string): PlannedStage | "dataset" {
  if (query === "dataset") return "dataset";
  const q = query.trim();
  const matches = plan.stages.filter(
    (s) => String(s.index) === q || s.label === q || s.label.slice(3) === q || s.use === q || s.plugin.name === q,
  );
  if (matches.length === 1) return matches[0]!;
  const names = plan.stages.map((s) => s.label);
  if (matches.length > 1) {
    throw new CtxcError(`\`${query}\` matches several stages: ${matches.map((s) => s.label).join(", ")}`, { hint: "name the stage by its number or folder name", exitCode: EXIT.invalid });
  }
  throw new CtxcError(`no stage \`${query}\` in this pipeline`, {
    hint: `${didYouMean(q, names) ?? ""} stages: ${names.join(", ")}, dataset`.trim(),
    exitCode: EXIT.invalid,
  });
}
