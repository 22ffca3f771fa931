import { defineCommand } from "citty";
import { builtins } from "../core/builtins.ts";
import { describeOptions } from "../core/options.ts";
import type { Plugin } from "../sdk/types.ts";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

export interface PluginInfo {
  use: string;
  kind: Plugin["kind"];
  name: string;
  version: string;
  description?: string;
  options: ReturnType<typeof describeOptions>;
}

/** Every built-in, described from its own schema (the one source of truth for options). */
export async function listPlugins(): Promise<PluginInfo[]> {
  const out: PluginInfo[] = [];
  for (const [use, load] of Object.entries(builtins)) {
    const p = (await load()).default;
    out.push({ use, kind: p.kind, name: p.name, version: p.version, description: p.description, options: describeOptions(p) });
  }
  const order = ["loader", "generator", "filter", "trainer", "evaluator"];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.use.localeCompare(b.use));
}

export const examples = [
    "ctxc plugins",
    "ctxc plugins --json | jq '.[].use'",
  ];

export default defineCommand({
  meta: {
    name: "plugins",
    description:
      "List the built-in plugins with their kind, version and options (type, default, description).",
  },
  args: {
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const list = await listPlugins();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const p of list) {
      lines.push(`${p.use}  (${p.kind}, v${p.version})${p.description ? ` — ${p.description}` : ""}`);
      for (const o of p.options) {
        const dflt = o.default !== undefined ? ` = ${JSON.stringify(o.default)}` : o.required ? " (required)" : "";
        lines.push(`    ${o.key}: ${o.type}${dflt}${o.description ? `  — ${o.description}` : ""}`);
      }
      lines.push("");
    }
    process.stdout.write(lines.join("\n"));
    return 0;
  },
});
