import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CtxcError, EXIT } from "../core/errors.ts";
import { manifestPath } from "../core/manifest.ts";
import { writeReport } from "../report/html.ts";
import { applyVerbosity, reportError, verbosityArgs } from "./_shared.ts";

export const examples = [
  "ctxc report runs/my-pipeline                  rebuild runs/my-pipeline/report.html",
  "ctxc report runs/my-pipeline --file /tmp/r.html",
];

export default defineCommand({
  meta: {
    name: "report",
    description:
      "Rebuild a workspace's report.html: one self-contained page (inline SVG, no network) with the filter funnel, dataset composition and token lengths, training loss and learning rate, the evaluation table with 95% intervals, ratio histograms, equivalence by ratio bucket and side-by-side examples. `ctxc run` writes it at the end of every run.",
  },
  args: {
    out: { type: "positional", description: "The workspace folder (the pipeline's `out`)", required: false, default: "." },
    file: { type: "string", description: "Write the page here instead of <workspace>/report.html" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    try {
      const out = resolve(args.out ?? ".");
      if (!existsSync(manifestPath(out))) throw new CtxcError(`${out} is not a ctxc workspace (no manifest.json)`, { hint: "pass the folder a pipeline writes to (its `out`, e.g. runs/quickstart)", exitCode: EXIT.invalid });
      const file = await writeReport(out, args.file ? resolve(args.file) : undefined);
      process.stdout.write(`report → ${file}\n`);
      return EXIT.ok;
    } catch (e) {
      return reportError(e);
    }
  },
});
