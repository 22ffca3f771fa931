// Shared by the filter tests: parse a plugin's options like the runner does and run one doc.
import * as v from "valibot";
import { isReject, makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc, Domain, FilterPlugin, Reject } from "../../../src/sdk/types.ts";
import { testContext, type TestContext } from "../../helpers/context.ts";

export function parse(plugin: FilterPlugin<any>, options: Record<string, unknown> = {}): any {
  return v.parse(plugin.options as any, options);
}

export function pair(text: string, compressed: string | undefined, domain: Domain = "nl", name?: string): Doc {
  return makeDoc({ text, compressed, domain, source: { path: "t.txt", ...(name ? { name } : {}) } });
}

/** Runs a filter on one doc with a fresh context; returns the result and the context's counters. */
export async function run(plugin: FilterPlugin<any>, doc: Doc, options: Record<string, unknown> = {}, ctx: TestContext = testContext({ name: plugin.name })): Promise<Doc | Reject> {
  return plugin.filter(structuredClone(doc), parse(plugin, options), ctx);
}

export function reason(result: Doc | Reject): string | undefined {
  return isReject(result) ? result.reason : undefined;
}
