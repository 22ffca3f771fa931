// `ctxc cache stats|clear [--older-than 7d] [PIPELINE | --out DIR]`: the workspace's LLM call
// cache — how big it is, and dropping old answers (the next run asks for them again, and pays).
import { defineCommand } from "citty";
import { CtxcError, EXIT } from "../core/errors.ts";
import { cacheStats, clearCache, openWorkspaceStore } from "../core/store-queries.ts";
import { applyVerbosity, takeAction, verbosityArgs } from "./_shared.ts";

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "12h", "30m", "90s", "2w" -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new CtxcError(`--older-than "${text}" is not a duration`, { hint: "write a number and a unit: 90s, 30m, 12h, 7d or 2w", exitCode: EXIT.invalid });
  return Number(m[1]) * UNITS[m[2]!]!;
}

function human(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export const examples = [
  "ctxc cache stats pipeline.toml",
  "ctxc cache clear --older-than 30d --out runs/my-run",
];

export default defineCommand({
  meta: {
    name: "cache",
    description: "Inspect or clear the LLM call cache: ctxc cache stats|clear [--older-than 7d] [PIPELINE | --out DIR] [--json]",
  },
  args: {
    // Declared for the help text; run() reads them from args._, since the pipeline may come first.
    action: { type: "positional", required: false, description: "stats (the default) or clear" },
    pipeline: { type: "positional", required: false, description: "The pipeline file whose workspace to use (or --out DIR)" },
    out: { type: "string", description: "The workspace folder (instead of a pipeline file)" },
    "older-than": { type: "string", description: "With clear: only entries older than this (e.g. 7d, 12h)" },
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const words = (args._ as string[]).map(String);
    const action = takeAction(words, ["stats", "clear"], "stats", "ctxc cache");
    const olderThan = args["older-than"] === undefined ? undefined : parseDuration(String(args["older-than"]));
    if (olderThan !== undefined && action !== "clear") throw new CtxcError("--older-than goes with `clear`", { hint: "ctxc cache clear --older-than 7d", exitCode: EXIT.invalid });
    const { store, out } = await openWorkspaceStore({ out: args.out, pipeline: words[0] });
    try {
      if (action === "clear") {
        const removed = clearCache(store, olderThan);
        process.stdout.write(args.json ? `${JSON.stringify({ removed })}\n` : `removed ${removed} cached answer${removed === 1 ? "" : "s"} from ${out}\n`);
        return 0;
      }
      const s = cacheStats(store);
      if (args.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else {
        const span = s.oldest ? `, ${new Date(s.oldest).toISOString()} … ${new Date(s.newest!).toISOString()}` : "";
        process.stdout.write(`${s.entries} cached answers, ${human(s.bytes)}${span}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
});
