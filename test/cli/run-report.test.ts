import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ctxc, docsJsonl, workspace } from "../helpers/cli.ts";

describe("ctxc run writes report.html", () => {
  test("after a run that did work; a re-run that skipped everything keeps the page; a missing page is drawn again", async () => {
    const dir = await workspace({
      "data/a.jsonl": docsJsonl(Array.from({ length: 30 }, (_, i) => `Document ${i}: the quick brown fox, which is very quick, jumps over ${i} lazy dogs.`)),
      "pipeline.toml": `name = "r"\nout = "out"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\n\n[[stages]]\nuse = "generator/rules"\n`,
    });
    const page = join(dir, "out", "report.html");
    const first = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).report).toBe(page);
    const drawn = await Bun.file(page).text();
    expect(drawn).toContain("<svg");

    // Everything skipped: the same page (it carries its drawing time, so a redraw would differ).
    await Bun.sleep(5);
    const again = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).stages.every((s: { outcome: string }) => s.outcome === "skipped")).toBe(true);
    expect(JSON.parse(again.stdout).report).toBe(page);
    expect(await Bun.file(page).text()).toBe(drawn);

    rmSync(page);
    const redrawn = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir });
    expect(redrawn.code).toBe(0);
    expect(await Bun.file(page).text()).toContain("<svg");
  }, 60_000);
});
