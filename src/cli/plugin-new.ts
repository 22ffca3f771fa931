import { defineCommand } from "citty";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CtxcError, EXIT } from "../core/errors.ts";
import { log } from "../core/log.ts";
// @ts-ignore -- Bun imports the SDK's types file as text (embedded in the binary); tsc cannot type it.
import typesSourceText from "../sdk/types.ts" with { type: "text" };
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

const KINDS = {
  filter: "FilterPlugin",
  generator: "GeneratorPlugin",
  loader: "LoaderPlugin",
  trainer: "TrainerPlugin",
  evaluator: "EvaluatorPlugin",
} as const;
type Kind = keyof typeof KINDS;

/** `declare module "ctxc"` built from src/sdk/types.ts itself, so the two never drift. */
export function sdkDeclarations(): string {
  const defines = Object.entries(KINDS).map(([kind, type]) => {
    const fn = `define${kind[0]!.toUpperCase()}${kind.slice(1)}`;
    return `  export function ${fn}<S extends OptionsSchema>(plugin: Omit<${type}<S>, "kind"> & { kind?: "${kind}" }): ${type}<S>;`;
  });
  const body = (typesSourceText as string).split("\n").map((l) => (l ? `  ${l}` : l)).join("\n");
  return [
    "// Types for the ctxc plugin SDK, written by `ctxc plugin new`. The ctxc binary serves the",
    "// module \"ctxc\" to plugins at run time; this file only lets an editor type-check them.",
    'declare module "ctxc" {',
    body,
    ...defines,
    "  export function docId(source: DocSource, text: string): string;",
    "  export function makeDoc(init: { text: string; domain: Domain; source: DocSource; id?: string; compressed?: string; scores?: Record<string, number>; meta?: Record<string, unknown> }): Doc;",
    "  export function isReject(value: unknown): value is Reject;",
    "  /** A rejection made with `{ retryable: true }`, or an error with `retryable: true`: the next run asks again. */",
    "  export function isRetryable(failure: unknown): boolean;",
    "  export function stableHash(...parts: string[]): string;",
    "  /** valibot (https://valibot.dev), for option schemas: v.object({ max: v.optional(v.number(), 3) }). */",
    "  export const v: any;",
    "}",
    "",
  ].join("\n");
}

function template(kind: Kind, name: string): string {
  const id = `${kind}/${name}`;
  const bodies: Record<Kind, string> = {
    filter: `  // Return the doc (changed or not) to keep it, or ctx.reject("reason") to drop it.
  filter(doc, opts, ctx) {
    if (opts.words.some((w: string) => (doc.compressed ?? doc.text).includes(w))) return ctx.reject("banned_word");
    return doc;
  },`,
    generator: `  // Set doc.compressed; the runner handles concurrency and keeps the output order.
  async generate(doc, opts, ctx) {
    return { ...doc, compressed: doc.text.replace(/\\s+/g, " ").trim() };
  },`,
    loader: `  // Yield docs; use makeDoc so ids are stable across runs.
  async *load(opts, ctx) {
    yield makeDoc({ text: "hello world", domain: "nl", source: { path: "inline" } });
  },`,
    trainer: `  async train(dataset, opts, ctx) {
    ctx.log.info(\`would train on \${dataset.counts.train} rows\`);
    return { trainer: "${id}", status: "completed", dir: ctx.paths.stage, baseModel: "none", datasetFingerprint: dataset.fingerprint };
  },`,
    evaluator: `  async evaluate(testDocs, model, opts, ctx) {
    return { evaluator: "${id}", metrics: { docs: testDocs.length } };
  },`,
  };
  const fn = `define${kind[0]!.toUpperCase()}${kind.slice(1)}`;
  const imports = kind === "loader" ? `${fn}, makeDoc, v` : `${fn}, v`;
  return `/// <reference path="./ctxc.d.ts" />
// ${id}: a ctxc ${kind}. Use it in pipeline.toml with:
//   [[stages]]
//   use = "./${"PATH"}"
// It may import only from "ctxc" (served by the ctxc binary) and Bun/Node built-ins.
import { ${imports} } from "ctxc";

export default ${fn}({
  name: "${id}",
  version: "1.0.0", // bump when the output changes for the same input: re-runs recompute the stage
  description: "What this ${kind} does",
  options: v.object({
    words: v.optional(v.pipe(v.array(v.string()), v.description("Example option")), ["TODO"]),
  }),
${bodies[kind]}
});
`;
}

export const examples = [
    "ctxc plugin new filter no-todo",
    "ctxc plugin new generator shout plugins/shout.ts",
  ];

export default defineCommand({
  meta: {
    name: "plugin",
    description:
      "Scaffold a plugin: `ctxc plugin new KIND NAME [PATH]` writes plugins/NAME.ts (or PATH) and ctxc.d.ts beside it so an editor type-checks it.",
  },
  args: {
    action: { type: "positional", description: "new", required: true },
    kind: { type: "positional", description: `One of ${Object.keys(KINDS).join(", ")}`, required: true },
    name: { type: "positional", description: "Plugin name (lowercase, dashes)", required: true },
    path: { type: "positional", description: "File to write (default plugins/NAME.ts)", required: false },
    force: { type: "boolean", description: "Overwrite an existing file" },
    ...verbosityArgs,
  },
  // Errors go to main.ts, which reports them (message, hint, exit code) like every command's.
  async run({ args }) {
    applyVerbosity(args);
    if (args.action !== "new") throw new CtxcError(`unknown action \`${args.action}\``, { hint: "the only action is `new`: ctxc plugin new filter NAME", exitCode: EXIT.invalid });
    const kind = args.kind as Kind;
    if (!(kind in KINDS)) throw new CtxcError(`unknown plugin kind \`${args.kind}\``, { hint: `one of ${Object.keys(KINDS).join(", ")}`, exitCode: EXIT.invalid });
    if (!/^[a-z0-9][a-z0-9-]*$/.test(args.name)) throw new CtxcError(`invalid plugin name \`${args.name}\``, { hint: "use lowercase letters, digits and dashes, e.g. no-todo", exitCode: EXIT.invalid });
    const file = resolve(args.path ?? join("plugins", `${args.name}.ts`));
    if (existsSync(file) && !args.force) throw new CtxcError(`${file} already exists`, { hint: "pass --force to overwrite it", exitCode: EXIT.invalid });
    mkdirSync(dirname(file), { recursive: true });
    const rel = args.path ?? `plugins/${args.name}.ts`;
    await Bun.write(file, template(kind, args.name).replace("PATH", rel.replace(/^\.\//, "")));
    await Bun.write(join(dirname(file), "ctxc.d.ts"), sdkDeclarations());
    log.success(`wrote ${file} and ${join(dirname(file), "ctxc.d.ts")}`);
    log.info(`add it to pipeline.toml:\n  [[stages]]\n  use = "./${rel.replace(/^\.\//, "")}"`);
    return 0;
  },
});
