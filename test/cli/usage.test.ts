import { describe, expect, test } from "bun:test";
import { fitToWidth } from "../../src/cli/usage.ts";
import { ctxc } from "../helpers/cli.ts";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("--help fits the terminal", () => {
  test("a padded table row loses its trailing spaces and wraps under its description column", () => {
    const row = `     \x1b[36mrun\x1b[39m    ${"word ".repeat(30)}${" ".repeat(60)}`;
    const lines = fitToWidth(row, 60).split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) {
      expect(strip(l).length).toBeLessThanOrEqual(60);
      expect(l).toBe(l.trimEnd());
    }
    expect(strip(lines[0]!).startsWith("     run    word word")).toBe(true);
    for (const l of lines.slice(1)) expect(l.startsWith(" ".repeat(12) + "word")).toBe(true);
    expect(lines.map((l) => strip(l).trim()).join(" ").replace(/^run\s+/, "").split(" ").length).toBe(30);
  });

  test("too narrow for the column: the description starts on its own line", () => {
    const lines = fitToWidth(`  ${"x".repeat(30)}    a description that is long enough to wrap somewhere`, 40).split("\n");
    expect(lines[0]).toBe(`  ${"x".repeat(30)}`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });

  for (const columns of ["80", "100"]) {
    test(`ctxc --help and ctxc run --help at ${columns} columns: no line wider, no trailing spaces`, async () => {
      for (const args of [["--help"], ["run", "--help"], ["init", "--help"]]) {
        const r = await ctxc(args, { env: { COLUMNS: columns } });
        expect(r.code).toBe(0);
        for (const line of strip(r.stdout).split("\n")) {
          expect({ line, ok: line.length <= Number(columns) && line === line.trimEnd() }).toEqual({ line, ok: true });
        }
        expect(r.stdout).toContain("EXAMPLES");
      }
    });
  }
});
