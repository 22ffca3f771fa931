// Every built-in plugin, as one static map of lazy imports: `bun build --compile` bundles only
// literal import() calls, and start-up loads just the stages a pipeline uses.
// Keys are the `use` names; each module's default export is the plugin, whose `name` equals its key.
import type { Plugin } from "../sdk/types.ts";

type PluginModule = Promise<{ default: Plugin }>;

export const builtins: Record<string, () => PluginModule> = {
  "loader/jsonl": () => import("../../plugins/loaders/jsonl.ts"),
  "loader/code": () => import("../../plugins/loaders/code/index.ts"),
  "loader/markdown": () => import("../../plugins/loaders/markdown/index.ts"),
  "generator/rules": () => import("../../plugins/generators/rules.ts"),
  "generator/compress": () => import("../../plugins/generators/compress.ts"),
  "filter/strip-artifacts": () => import("../../plugins/filters/strip-artifacts.ts"),
  "filter/ratio": () => import("../../plugins/filters/ratio.ts"),
  "filter/notation": () => import("../../plugins/filters/notation.ts"),
  "filter/sanitize": () => import("../../plugins/filters/sanitize.ts"),
  "filter/dedup": () => import("../../plugins/filters/dedup.ts"),
  "filter/length": () => import("../../plugins/filters/length.ts"),
  "filter/equivalence": () => import("../../plugins/filters/equivalence.ts"),
  "trainer/extractive": () => import("../../plugins/trainers/extractive.ts"),
};
