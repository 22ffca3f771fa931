import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "citty";
import inspectCommand, { inspectStage, renderInspect, wrap } from "../../src/cli/inspect.ts";
import { makeDoc } from "../../src/sdk/doc.ts";
import { captureStdout } from "../helpers/cli.ts";

function workspace(): string {
  const out = mkdtempSync(join(tmpdir(), "ctxc-inspect-"));
  const stage = join(out, "03-filter-notation");
  mkdirSync(stage);
  const kept = Array.from({ length: 30 }, (_, i) =>
    makeDoc({ text: `Original number ${i}: the bridge opened in 19${10 + i}.`, compressed: `bridge 19${10 + i}`, domain: "nl", source: { path: "a.md", unit: String(i) }, scores: { token_ratio: 0.25 } }),
  );
  const rejected = Array.from({ length: 12 }, (_, i) => ({
    ...makeDoc({ text: `Rejected original ${i}, not kept.`, compressed: i % 3 ? `rejected ${i}` : `bad\u0007${i}`, domain: "nl", source: { path: "b.md", unit: String(i) } }),
    reason: i % 3 ? "negation_dropped" : "control_chars",
    stage: "03-filter-notation",
    ...(i % 3 ? { detail: `the original negates 1× (not)` } : {}),
  }));
  writeFileSync(join(stage, "out.jsonl"), kept.map((d) => JSON.stringify(d)).join("\n") + "\n");
  // A torn last line (a crash mid-write) is reported and skipped, not fatal.
  writeFileSync(join(stage, "rejected.jsonl"), rejected.map((d) => JSON.stringify(d)).join("\n") + '\n{"id":"torn');
  return stage;
}

const runCli = async (args: string[]) => (await captureStdout(() => runCommand(inspectCommand, { rawArgs: args }))).out;

describe("ctxc inspect", () => {
  test("counts kept and rejected rows by reason, samples N of each side", async () => {
    const r = await inspectStage(workspace(), { sample: 4 });
    expect(r.kept.total).toBe(30);
    expect(r.rejected.total).toBe(12);
    expect(r.rejected.byReason).toEqual({ negation_dropped: 8, control_chars: 4 });
    expect(r.kept.sample).toHaveLength(4);
    expect(r.rejected.sample).toHaveLength(4);
    // In file order.
    expect(r.kept.sample.map((s) => s.line)).toEqual([...r.kept.sample.map((s) => s.line)].sort((a, b) => a - b));
  });

  test("sampling is deterministic per seed and differs across seeds", async () => {
    const dir = workspace();
    const ids = async (seed: string) => (await inspectStage(dir, { sample: 5, seed })).kept.sample.map((s) => s.row.id);
    expect(await ids("1")).toEqual(await ids("1"));
    const seeds = await Promise.all(["1", "2", "3", "4"].map(ids));
    expect(new Set(seeds.map((s) => s.join())).size).toBeGreaterThan(1);
  });

  test("--reason shows only those rejections; --only picks a side", async () => {
    const dir = workspace();
    const r = await inspectStage(dir, { reason: "control_chars", sample: 10 });
    expect(r.kept.sample).toEqual([]);
    expect(r.rejected.sample.map((s) => s.row.reason)).toEqual(["control_chars", "control_chars", "control_chars", "control_chars"]);
    expect((await inspectStage(dir, { only: "kept" })).rejected.sample).toEqual([]);
    expect((await inspectStage(dir, { only: "rejected" })).kept.sample).toEqual([]);
  });

  test("clear errors: missing folder, a workspace instead of a stage, an unknown reason", async () => {
    const stage = workspace();
    await expect(inspectStage(join(stage, "nope"))).rejects.toThrow(/no such stage folder/);
    await expect(inspectStage(join(stage, ".."))).rejects.toMatchObject({ hint: expect.stringContaining("03-filter-notation") });
    await expect(inspectStage(stage, { reason: "negation_droped" })).rejects.toMatchObject({
      message: expect.stringContaining('no rejection with reason "negation_droped"'),
      hint: expect.stringContaining("did you mean `negation_dropped`?"),
    });
  });

  test("the command prints examples side by side with reason, detail and scores", async () => {
    const text = await runCli([workspace(), "--sample", "2", "--seed", "7", "--width", "100"]);
    expect(text).toContain("30 kept, 12 rejected (negation_dropped 8, control_chars 4)");
    expect(text).toMatch(/original \(\d+ chars\)\s+│ compressed \(\d+ chars\)/);
    expect(text).toContain("scores: token_ratio=0.250");
    expect(text.match(/── kept/g)).toHaveLength(2);
    expect(text.match(/── rejected/g)).toHaveLength(2);
    // Every line but the header (which holds the folder path) fits the width.
    for (const line of text.split("\n").slice(1)) expect([...line].length).toBeLessThanOrEqual(100);
    // The same seed prints the same examples (the header names the folder, which differs).
    const again = await runCli([workspace(), "--sample", "2", "--seed", "7", "--width", "100"]);
    expect(again.split("\n").slice(1)).toEqual(text.split("\n").slice(1));
  });

  test("control characters are shown, not sent to the terminal", async () => {
    const text = await runCli([workspace(), "--reason", "control_chars", "--sample", "1", "--width", "80"]);
    expect(text).toContain("── rejected · control_chars");
    expect(text).toContain("bad\\x07");
    expect(text).not.toContain("\u0007");
  });

  test("--lines must be at least 1: 0 is a clear error, not an empty side-by-side", async () => {
    const stage = workspace();
    for (const bad of ["0", "-2", "1.5", "many"]) {
      await expect(runCli([stage, "--lines", bad])).rejects.toMatchObject({ message: `--lines must be a whole number ≥ 1, not "${bad}"`, exitCode: 2 });
    }
    const one = await runCli([stage, "--sample", "1", "--only", "kept", "--lines", "1", "--width", "100"]);
    expect(one).toContain("── kept");
    // --sample 0 still means "counts only".
    const counts = await runCli([stage, "--sample", "0"]);
    expect(counts).toContain("30 kept, 12 rejected");
    expect(counts).not.toContain("── kept");
  });

  test("long texts wrap to the column and are cut after --lines", () => {
    expect(wrap("abcdefghij", 4, 10)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrap("a\nb\nc\nd\ne", 10, 3)).toEqual(["a", "b", "… (+3 lines)"]);
    const r = { dir: "x", kept: { total: 0, sample: [] }, rejected: { total: 0, byReason: {}, sample: [] } };
    expect(renderInspect(r)).toBe("x: 0 kept, 0 rejected\n\n");
  });
});
