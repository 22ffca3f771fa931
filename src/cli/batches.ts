// `ctxc batches [list|cancel ID] [PIPELINE | --out DIR]`: the batch jobs a workspace submitted
// (Anthropic Message Batches, OpenAI Batch), with their state per request; `cancel` asks the
// provider to stop one (a later run collects what finished and resubmits the rest).
import { defineCommand } from "citty";
import { CtxcError, EXIT } from "../core/errors.ts";
import { openWorkspaceStore } from "../core/store-queries.ts";
import { batchStatus, cancelBatch, listBatches } from "../llm/batch/manage.ts";
import type { BatchRecord } from "../llm/batch/types.ts";
import { applyVerbosity, takeAction, verbosityArgs } from "./_shared.ts";

function describe(b: BatchRecord): string {
  const counts = b.counts ? Object.entries(b.counts).map(([k, n]) => `${k} ${n}`).join(", ") : "";
  const state = b.cancelRequested ? `${b.status} (cancel requested)` : b.status;
  return `${b.id}  ${state.padEnd(10)} ${b.model}  ${b.requests} requests  stage ${b.stage}  submitted ${new Date(b.submittedAt).toISOString()}${counts ? `  [${counts}]` : ""}`;
}

export const examples = [
  "ctxc batches list pipeline.toml",
  "ctxc batches list pipeline.toml --refresh",
  "ctxc batches cancel msgbatch_01AbC pipeline.toml",
];

export default defineCommand({
  meta: {
    name: "batches",
    description: "List a workspace's batch jobs, or cancel one: ctxc batches [list|cancel ID] [PIPELINE | --out DIR] [--refresh] [--json]",
  },
  args: {
    // Declared for the help text; run() reads them from args._, since ID only comes after cancel.
    action: { type: "positional", required: false, description: "list (the default) or cancel" },
    id: { type: "positional", required: false, description: "With cancel: the batch id (`ctxc batches list` shows them)" },
    pipeline: { type: "positional", required: false, description: "The pipeline file whose workspace to use (or --out DIR)" },
    out: { type: "string", description: "The workspace folder (instead of a pipeline file)" },
    refresh: { type: "boolean", description: "Ask the provider for the current state of unfinished batches" },
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const words = (args._ as string[]).map(String);
    const action = takeAction(words, ["list", "cancel"], "list", "ctxc batches");
    const id = action === "cancel" ? words.shift() : undefined;
    if (action === "cancel" && !id) throw new CtxcError("which batch? `ctxc batches cancel ID`", { hint: "`ctxc batches list` shows the ids", exitCode: EXIT.invalid });
    const { store } = await openWorkspaceStore({ out: args.out, pipeline: words[0] });
    try {
      const state = store.state();
      if (action === "cancel") {
        const rec = await cancelBatch(state, id!).catch((e: Error) => {
          throw new CtxcError(e.message, { hint: "`ctxc batches list` shows this workspace's batches", exitCode: EXIT.invalid });
        });
        process.stdout.write(args.json ? `${JSON.stringify(rec)}\n` : `cancel requested for ${rec.id}; re-run the pipeline to collect what finished\n`);
        return 0;
      }
      const batches = listBatches(state);
      if (args.refresh) {
        for (const b of batches) {
          if (b.status !== "submitted") continue;
          const st = await batchStatus(b);
          b.counts = st.counts;
        }
      }
      if (args.json) process.stdout.write(`${JSON.stringify(batches.map(({ items: _items, ...b }) => b), null, 2)}\n`);
      else if (batches.length === 0) process.stdout.write("no batch jobs in this workspace\n");
      else for (const b of batches) process.stdout.write(`${describe(b)}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
});
