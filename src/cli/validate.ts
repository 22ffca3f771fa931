import { defineCommand } from "citty";
import { loadPlan } from "./_pipeline.ts";
import { applyVerbosity, errorJson, exitCodeOf, reportError, verbosityArgs } from "./_shared.ts";

export const examples = [
    "ctxc validate pipeline.toml",
    "ctxc validate examples/quickstart/pipeline.toml --json",
  ];

export default defineCommand({
  meta: {
    name: "validate",
    description:
      "Check a pipeline without running it: TOML syntax, plugin names, option names and types, stage order, and environment preflight (e.g. API keys). Exit 0 when valid, 2 when not.",
  },
  args: {
    file: { type: "positional", description: "The pipeline file", required: true },
    json: { type: "boolean", description: "Print the result as JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    try {
      const plan = await loadPlan(args.file);
      if (args.json) {
        process.stdout.write(`${JSON.stringify({ valid: true, pipeline: plan.config.name, out: plan.config.out, stages: plan.stages.map((s) => ({ label: s.label, use: s.use, kind: s.plugin.kind, options: s.options })) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${args.file}: valid — ${plan.stages.length} stages\n`);
        for (const s of plan.stages) process.stdout.write(`  ${s.label}  ${s.plugin.kind.padEnd(9)} ${s.use}\n`);
      }
      return 0;
    } catch (e) {
      if (args.json) {
        process.stdout.write(`${JSON.stringify({ valid: false, ...errorJson(e) }, null, 2)}\n`);
        return exitCodeOf(e);
      }
      return reportError(e);
    }
  },
});
