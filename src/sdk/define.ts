// Identity helpers (as citty's defineCommand): they add nothing at run time but give a plugin
// object its types, so `opts` is inferred from the options schema.
import type {
  EvaluatorPlugin,
  FilterPlugin,
  GeneratorPlugin,
  LoaderPlugin,
  OptionsSchema,
  TrainerPlugin,
} from "./types.ts";

export function defineLoader<S extends OptionsSchema>(plugin: Omit<LoaderPlugin<S>, "kind"> & { kind?: "loader" }): LoaderPlugin<S> {
  return { ...plugin, kind: "loader" };
}

export function defineGenerator<S extends OptionsSchema>(plugin: Omit<GeneratorPlugin<S>, "kind"> & { kind?: "generator" }): GeneratorPlugin<S> {
  return { ...plugin, kind: "generator" };
}

export function defineFilter<S extends OptionsSchema>(plugin: Omit<FilterPlugin<S>, "kind"> & { kind?: "filter" }): FilterPlugin<S> {
  return { ...plugin, kind: "filter" };
}

export function defineTrainer<S extends OptionsSchema>(plugin: Omit<TrainerPlugin<S>, "kind"> & { kind?: "trainer" }): TrainerPlugin<S> {
  return { ...plugin, kind: "trainer" };
}

export function defineEvaluator<S extends OptionsSchema>(plugin: Omit<EvaluatorPlugin<S>, "kind"> & { kind?: "evaluator" }): EvaluatorPlugin<S> {
  return { ...plugin, kind: "evaluator" };
}
