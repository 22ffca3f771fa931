// A real StageContext for unit tests: an in-memory store, a temp workspace, live counters.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStageContext } from "../../src/core/context.ts";
import { Store } from "../../src/core/store.ts";
import type { StageContext } from "../../src/sdk/types.ts";

export interface TestContext extends StageContext {
  counters: Record<string, number>;
  store: Store;
  abort: AbortController;
}

export function testContext(opts: { root?: string; name?: string; maxUsd?: number } = {}): TestContext {
  const out = mkdtempSync(join(tmpdir(), "ctxc-test-"));
  const store = new Store(":memory:");
  const counters: Record<string, number> = {};
  const abort = new AbortController();
  const name = opts.name ?? "test/plugin";
  const ctx = createStageContext({
    stage: { index: 1, name, use: name, label: `01-${name.replace("/", "-")}` },
    paths: { root: opts.root ?? process.cwd(), out, stage: out },
    store,
    pipeline: "test",
    signal: abort.signal,
    counters,
    maxUsd: opts.maxUsd,
    onBudget: () => abort.abort(),
  });
  return Object.assign(ctx, { counters, store, abort });
}
