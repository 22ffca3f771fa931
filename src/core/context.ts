// Builds the `ctx` a plugin receives: everything it may use from the runtime, nothing more.
import type { StageContext, WorkspacePaths } from "../sdk/types.ts";
import { makeReject } from "../sdk/doc.ts";
import { log } from "./log.ts";
import type { Store } from "./store.ts";

export interface ContextInit {
  stage: StageContext["stage"];
  paths: WorkspacePaths;
  store: Store;
  pipeline: string;
  signal: AbortSignal;
  /** Counters behind `ctx.stat`; the runner writes them to stats.json. */
  counters: Record<string, number>;
  /** `[budget] max_usd`; undefined means no limit. */
  maxUsd?: number;
  /** Called once when spending reaches the budget (the runner stops the run cleanly). */
  onBudget?: () => void;
}

export function createStageContext(init: ContextInit): StageContext {
  const { store, counters } = init;
  const tagged = log.withTag(init.stage.label);
  let spent: number | undefined;
  const overBudget = () => init.maxUsd !== undefined && (spent ??= store.spent()) >= init.maxUsd;
  return {
    stage: init.stage,
    log: tagged,
    reject: makeReject,
    stat(name, n = 1) {
      counters[name] = (counters[name] ?? 0) + n;
    },
    signal: init.signal,
    paths: init.paths,
    cache: store.cache(),
    state: store.state(),
    costs: {
      record(entry) {
        const before = spent ?? store.spent();
        store.recordCost(init.pipeline, init.stage.label, entry);
        spent = before + (entry.usd ?? 0);
        if (overBudget()) init.onBudget?.();
      },
      spent: () => (spent ??= store.spent()),
      overBudget,
    },
    // Counts of slow-to-load tokenizers come from the workspace database when known (token-memo.ts).
    countTokens: store.tokenMemo().count,
  };
}
