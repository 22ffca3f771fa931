import { describe, expect, test } from "bun:test";
import { stageFingerprint } from "../../src/core/manifest.ts";
import type { PlannedStage } from "../../src/core/plan.ts";

function stage(options: Record<string, unknown>): PlannedStage {
  return {
    index: 1, use: "loader/code", label: "01-loader-code", dir: "/tmp/x", concurrency: 1, options,
    plugin: { kind: "loader", name: "loader/code", version: "1", load: () => [] },
  };
}

describe("stageFingerprint", () => {
  test("speed-only settings (a loader's threads, concurrency) leave it unchanged", () => {
    const base = stageFingerprint(stage({ paths: ["src/**"], threads: 0 }), "in");
    expect(stageFingerprint(stage({ paths: ["src/**"], threads: 4 }), "in")).toBe(base);
    expect(stageFingerprint(stage({ paths: ["src/**"] }), "in")).toBe(base);
    expect(stageFingerprint(stage({ paths: ["src/**"], threads: 1, concurrency: 8 }), "in")).toBe(base);
  });

  test("options, input, version and the loader's extra value change it", () => {
    const base = stageFingerprint(stage({ paths: ["src/**"] }), "in", "e1");
    expect(stageFingerprint(stage({ paths: ["lib/**"] }), "in", "e1")).not.toBe(base);
    expect(stageFingerprint(stage({ paths: ["src/**"] }), "other", "e1")).not.toBe(base);
    expect(stageFingerprint(stage({ paths: ["src/**"] }), "in", "e2")).not.toBe(base);
    const bumped = stage({ paths: ["src/**"] });
    bumped.plugin = { ...bumped.plugin, version: "2" } as PlannedStage["plugin"];
    expect(stageFingerprint(bumped, "in", "e1")).not.toBe(base);
  });
});
