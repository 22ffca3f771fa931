import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseRate } from "../../src/cli/compress.ts";
import { ctxc, workspace } from "../helpers/cli.ts";

const PARA = "The bridge, which opened in 1932, is not a toll road. It spans 503 metres across the river and carries about 40,000 vehicles a day.";

describe("ctxc compress", () => {
  test("plain text in, compressed text out, facts kept", async () => {
    const dir = await workspace({ "p.txt": PARA });
    const r = await ctxc(["compress", join(dir, "p.txt")]);
    expect(r.code).toBe(0);
    for (const fact of ["1932", "not", "503", "40,000"]) expect(r.stdout).toContain(fact);
    expect(r.stdout.length).toBeLessThan(PARA.length);
  });

  test("--json reports tokens and the model; --rate lowers the kept share", async () => {
    const dir = await workspace({ "p.txt": PARA });
    const hi = JSON.parse((await ctxc(["compress", join(dir, "p.txt"), "--json", "--rate", "0.9"])).stdout);
    const lo = JSON.parse((await ctxc(["compress", join(dir, "p.txt"), "--json", "--rate", "0.3"])).stdout);
    expect(hi.model).toBe("extractive:default");
    expect(lo.tokens_out).toBeLessThan(hi.tokens_out);
    expect(lo.tokens_in).toBe(hi.tokens_in);
    const rules = JSON.parse((await ctxc(["compress", join(dir, "p.txt"), "--json", "--model", "rules"])).stdout);
    expect(rules.model).toBe("rules");
  }, 60_000);

  test("--rate outside (0, 1] exits 2 with a hint", async () => {
    for (const bad of ["0", "1.5", "-0.2", "abc"]) {
      const r = await ctxc(["compress", "x.txt", "--rate", bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("outside (0, 1]");
    }
    expect(parseRate("1")).toBe(1);
    expect(parseRate(undefined)).toBeUndefined();
  });

  test("empty input: empty output, exit 0", async () => {
    const dir = await workspace({ "empty.txt": "" });
    const r = await ctxc(["compress", join(dir, "empty.txt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });

  test("--jsonl: rows in order with compressed + scores.token_ratio; bad and torn lines reported by number and skipped", async () => {
    const rows = [
      JSON.stringify({ id: "a", text: PARA, scores: { x: 1 } }),
      "not json",
      JSON.stringify({ id: "b", text: "def f(x):\n    return x + 1\n", domain: "code" }),
      JSON.stringify({ text: 5 }),
      JSON.stringify({ id: "c", text: "" }),
      '{"id": "torn", "te',
    ];
    const dir = await workspace({ "in.jsonl": rows.join("\n") });
    const r = await ctxc(["compress", join(dir, "in.jsonl"), "--jsonl"]);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(["a", "b", "c"]);
    expect(out[0].scores.x).toBe(1);
    expect(out[0].scores.token_ratio).toBeGreaterThan(0);
    expect(out[0].scores.token_ratio).toBeLessThan(1);
    expect(out[1].compressed).toContain("f(x)");
    expect(out[2].compressed).toBe("");
    expect(r.stderr).toMatch(/in\.jsonl:2: .* line skipped/);
    expect(r.stderr).toMatch(/in\.jsonl:4: not an object with a "text" string/);
    expect(r.stderr).toMatch(/in\.jsonl:6: torn last line/);
  }, 60_000);

  test("a model that cannot be opened: exit 2 naming it", async () => {
    const dir = await workspace({ "p.txt": PARA, "run/run.json": JSON.stringify({ trainer: "trainer/extractive", status: "completed", format: 1, adapter: "model.bin" }) });
    const missing = await ctxc(["compress", join(dir, "p.txt"), "--model", join(dir, "run")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, "run", "model.bin")}: model file not found`);
    const notRun = await ctxc(["compress", join(dir, "p.txt"), "--model", dir]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain("is not a training run");
  });
});
