// Finds the plugin a stage's `use` names: a built-in ("kind/name") from the static map, or a
// user's .ts/.js file (path relative to the pipeline file), imported at run time with the SDK
// served as the virtual module "ctxc" so the file needs no node_modules.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import * as sdk from "../sdk/index.ts";
import type { Plugin, PluginKind } from "../sdk/types.ts";
import { builtins } from "./builtins.ts";
import { sha256 } from "./canonical.ts";
import { CtxcError, EXIT } from "./errors.ts";
import { didYouMean } from "../text/suggest.ts";
import { guard } from "./stall.ts";

export const KINDS: readonly PluginKind[] = ["loader", "generator", "filter", "trainer", "evaluator"];

/** The method each kind must have; used to check user plugins' shape. */
const METHOD: Record<PluginKind, string> = {
  loader: "load",
  generator: "generate",
  filter: "filter",
  trainer: "train",
  evaluator: "evaluate",
};

export interface ResolvedPlugin {
  plugin: Plugin;
  /** Absolute path for a user plugin; undefined for built-ins. */
  file?: string;
  /** Hash of a user plugin's source, so editing it re-runs its stage. */
  codeHash?: string;
}

export function isPathUse(use: string): boolean {
  return /^(\.{1,2}\/|\/)/.test(use) || /\.(ts|js|mts|mjs)$/.test(use);
}

let sdkRegistered = false;

/** Serve `import … from "ctxc"` to user plugins (works inside the compiled binary too). */
export function registerSdkModule(): void {
  if (sdkRegistered) return;
  sdkRegistered = true;
  Bun.plugin({
    name: "ctxc-sdk",
    setup(build) {
      build.module("ctxc", () => ({ exports: sdk as Record<string, unknown>, loader: "object" }));
    },
  });
}

export async function resolvePlugin(use: string, root: string): Promise<ResolvedPlugin> {
  if (isPathUse(use)) return loadUserPlugin(use, root);
  const load = builtins[use];
  if (!load) {
    throw new CtxcError(`unknown plugin \`${use}\``, {
      hint: [didYouMean(use, Object.keys(builtins)), "run `ctxc plugins` to list the built-ins, or give a path like ./plugins/my-filter.ts"]
        .filter(Boolean)
        .join(" — "),
      exitCode: EXIT.invalid,
    });
  }
  return { plugin: (await load()).default };
}

async function loadUserPlugin(use: string, root: string): Promise<ResolvedPlugin> {
  const file = resolve(root, use);
  if (!existsSync(file)) {
    throw new CtxcError(`plugin file not found: ${use} (resolved to ${file})`, {
      hint: "check the path (it is relative to the pipeline file), or scaffold one with `ctxc plugin new filter NAME`",
      exitCode: EXIT.invalid,
    });
  }
  registerSdkModule();
  let mod: Record<string, unknown>;
  try {
    // A top-level await that never settles would otherwise end the process silently (exit 0).
    mod = await guard(`importing the plugin file ${use}`, import(file));
  } catch (e) {
    throw new CtxcError(`could not load plugin file ${use}: ${(e as Error).message}`, {
      hint: "fix the error in the plugin file; plugins may import only from \"ctxc\" and Bun/Node built-ins",
      exitCode: EXIT.invalid,
      cause: e,
    });
  }
  const plugin = pickPlugin(mod);
  if (!plugin) {
    throw new CtxcError(`plugin file ${use} exports no plugin`, {
      hint: 'export one as the default export: `export default defineFilter({ name: "filter/my-filter", version: "1", filter(doc, opts, ctx) { return doc } })`',
      exitCode: EXIT.invalid,
    });
  }
  checkShape(plugin, use);
  const codeHash = sha256(await Bun.file(file).text());
  return { plugin: plugin as unknown as Plugin, file, codeHash };
}

function pickPlugin(mod: Record<string, unknown>): Record<string, unknown> | undefined {
  const candidates = [mod.default, ...Object.values(mod)];
  return candidates.find((c): c is Record<string, unknown> => typeof c === "object" && c !== null && "kind" in c);
}

function checkShape(p: Record<string, unknown>, use: string): void {
  const kind = p.kind as PluginKind;
  if (!KINDS.includes(kind)) {
    throw new CtxcError(`plugin file ${use} exports a plugin of unknown kind \`${String(p.kind)}\``, {
      hint: `kind must be one of ${KINDS.join(", ")}; use the matching define* helper from "ctxc"`,
      exitCode: EXIT.invalid,
    });
  }
  const missing = ["name", "version"].filter((k) => typeof p[k] !== "string");
  if (typeof p[METHOD[kind]] !== "function") missing.push(`${METHOD[kind]}()`);
  if (missing.length > 0) {
    throw new CtxcError(`plugin file ${use} exports a ${kind} without ${missing.join(", ")}`, {
      hint: `a ${kind} needs a string name ("${kind}/my-name"), a string version and a ${METHOD[kind]}() function`,
      exitCode: EXIT.invalid,
    });
  }
}
