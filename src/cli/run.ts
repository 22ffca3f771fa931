import { defineCommand } from "citty";
import { join } from "node:path";
import { EXIT } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { runPipeline, type RunSummary } from "../core/runner.ts";
import { loadPlan } from "./_pipeline.ts";
import { applyVerbosity, errorJson, reportError, verbosityArgs } from "./_shared.ts";
import { interruptSignal } from "./supervise.ts";

export const examples = [
    "ctxc run pipeline.toml",
    "ctxc run pipeline.toml --from 3          re-run stage 3 and everything after it",
    "ctxc run pipeline.toml --only filter/ratio",
    "ctxc run pipeline.toml --out /tmp/try --json",
    "ctxc run pipeline.toml --estimate       what the teacher and judge stages would cost",
    "ctxc run pipeline.toml --wait           queue behind another run of the same workspace",
  ];

export default defineCommand({
  meta: {
    name: "run",
    description:
      "Run a pipeline. Stages whose plugin, options and input are unchanged since the last run are skipped; the rest re-run after their old outputs are deleted. Ctrl-C finishes calls in flight, saves, and exits 130; the next run resumes.",
  },
  args: {
    file: { type: "positional", description: "The pipeline file", required: true },
    out: { type: "string", description: "Workspace folder (overrides `out` in the file)" },
    only: { type: "string", description: "Run just this stage (number, folder name, or use), reading the previous stage's saved output" },
    from: { type: "string", description: "Re-run from this stage on, reusing the saved outputs before it" },
    force: { type: "boolean", description: "Re-run every stage, even unchanged ones" },
    "fail-fast": { type: "boolean", description: "Stop at the first record a plugin throws on, instead of rejecting it" },
    estimate: { type: "boolean", description: "Run only the free stages (in a temporary folder: nothing is written to the workspace), then print the calls, tokens and USD the paid stages (teachers, judges) would cost" },
    wait: { type: "boolean", description: "If another ctxc run holds the workspace, wait for it to finish instead of failing (exit 2)" },
    "force-out": { type: "boolean", description: "Use an --out folder that already holds files but no ctxc manifest (ctxc never deletes what it did not write)" },
    json: { type: "boolean", description: "Print one JSON summary on stdout at the end" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    if (args.json && !args.verbose) log.level = Math.min(log.level, 1);
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      if (++interrupts > 1) process.exit(EXIT.interrupted);
      log.warn("interrupted: finishing the calls in flight and saving (Ctrl-C again to quit at once)");
      controller.abort();
    };
    // Ctrl-C arrives as SIGUSR2 when a supervisor process owns the terminal's signals (supervise.ts).
    const interrupt = interruptSignal();
    process.on(interrupt, onSigint);
    process.on("SIGTERM", onSigint);
    try {
      const plan = await loadPlan(args.file, { out: args.out });
      const summary = await runPipeline(plan, {
        only: args.only,
        from: args.from,
        force: args.force,
        failFast: args["fail-fast"],
        signal: controller.signal,
        progress: !args.json && !args.quiet,
        estimate: args.estimate,
        wait: args.wait,
        forceOut: args["force-out"],
      });
      const report = args.estimate ? undefined : await reportFor(summary);
      if (args.json) process.stdout.write(`${JSON.stringify({ ...summary, report }, null, 2)}\n`);
      else if (args.estimate) printEstimates(summary);
      else printSummary(summary, report);
      return summary.status === "completed" ? EXIT.ok : summary.status === "budget" ? EXIT.budget : summary.status === "interrupted" ? EXIT.interrupted : EXIT.failed;
    } catch (e) {
      if (args.json) process.stdout.write(`${JSON.stringify({ status: "failed", ...errorJson(e) }, null, 2)}\n`);
      return reportError(e);
    } finally {
      process.off(interrupt, onSigint);
      process.off("SIGTERM", onSigint);
    }
  },
});

function printEstimates(s: RunSummary): void {
  const rows = s.estimates ?? [];
  if (rows.length === 0) {
    process.stdout.write("no stage of this pipeline spends money (no teacher or judge stage)\n");
    return;
  }
  const usd = (x: number | null) => (x === null ? "unknown price" : `$${x.toFixed(2)}`);
  for (const e of rows) {
    process.stdout.write(`${e.stage}  ${e.model}: ${e.calls.toLocaleString("en-US")} calls (${e.cached.toLocaleString("en-US")} cached), ${e.tokensIn.toLocaleString("en-US")} tokens in, ≤ ${e.tokensOutEstimate.toLocaleString("en-US")} out, ≤ ${usd(e.usd)}\n`);
  }
  const total = rows.some((e) => e.usd === null) ? null : rows.reduce((a, e) => a + (e.usd ?? 0), 0);
  process.stdout.write(`total: ≤ ${usd(total)} (input tokens counted on the exact prompts; output at the configured cap). Nothing was spent.\n`);
}

/**
 * report.html at the end of a run. A run that skipped everything keeps the page it has: drawing
 * costs ~0.3 s (vega, and the Qwen3 tokenizer for the length histograms), which would be most of
 * a skipped re-run's time; `ctxc report` redraws on demand.
 */
async function reportFor(summary: RunSummary): Promise<string | undefined> {
  const page = join(summary.out, "report.html");
  const nothingRan = summary.stages.every((s) => s.outcome === "skipped") && (summary.dataset?.outcome ?? "skipped") === "skipped";
  if (nothingRan && summary.status === "completed" && (await Bun.file(page).exists())) return page;
  return writeReportSafely(summary.out);
}

/** report.html at the end of every run; a failure to draw it warns but never fails the run. */
async function writeReportSafely(out: string): Promise<string | undefined> {
  try {
    const { writeReport } = await import("../report/html.ts");
    return await writeReport(out);
  } catch (e) {
    log.warn(`report.html was not written: ${(e as Error).message} (\`ctxc report ${out}\` retries)`);
    return undefined;
  }
}

function printSummary(s: RunSummary, report?: string): void {
  const ran = s.stages.filter((x) => x.outcome === "ran").length;
  const skipped = s.stages.filter((x) => x.outcome === "skipped").length;
  const head = s.status === "completed" ? "done" : s.status === "budget" ? "stopped: budget reached" : s.status;
  log.log(`${head} in ${s.seconds.toFixed(1)}s — ${ran} stages ran, ${skipped} skipped (unchanged)${s.spentUsd > 0 ? `, $${s.spentUsd.toFixed(2)} spent` : ""} → ${s.out}`);
  if (report) log.log(`report: ${report}`);
  if (s.status === "interrupted") log.log("run the same command again to resume; finished calls are cached and will not be paid for twice");
  if (s.status === "budget") log.log("raise [budget] max_usd and run again to continue; finished calls are cached");
}
