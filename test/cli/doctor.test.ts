// `ctxc doctor`'s Python section: which interpreter and why, the model-half packages' versions
// and MLX's backend — read from the real venv, and from a Python that lacks them.
import { describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, tempDir } from "../helpers/cli.ts";
import { hasPython, testPython } from "../helpers/python.ts";

type Check = { name: string; ok: boolean; detail: string; hint?: string };
const byName = (checks: Check[], name: string) => checks.find((c) => c.name === name)!;

describe.skipIf(!hasPython)("ctxc doctor: the Python side", () => {
  test("names the interpreter, where it came from, the pinned packages and the CPU backend", async () => {
    const r = await ctxc(["doctor", "--json"], { env: { CTXC_PYTHON: testPython()! } });
    expect(r.code).toBe(0);
    const checks = JSON.parse(r.stdout) as Check[];
    expect(byName(checks, "python")).toMatchObject({ ok: true });
    expect(byName(checks, "python").detail).toContain("from $CTXC_PYTHON");
    expect(byName(checks, "mlx-lm")).toMatchObject({ ok: true, detail: "0.32.2" });
    expect(byName(checks, "mlx")).toMatchObject({ ok: true, detail: "0.32.4" });
    expect(byName(checks, "tinker")).toMatchObject({ ok: true, detail: "0.38.0" });
    expect(byName(checks, "mlflow")).toMatchObject({ ok: true, detail: "3.17.2" });
    expect(byName(checks, "mlx backend").detail).toContain(process.platform === "darwin" ? "Metal" : "CPU only");
  });

  test("a Python without the packages: each is 'not installed' with the setup command", async () => {
    // -S: the same interpreter without its site-packages.
    const fake = join(tempDir("ctxc-doctor-"), "python");
    writeFileSync(fake, `#!/bin/sh\nexec "${testPython()}" -S "$@"\n`);
    chmodSync(fake, 0o755);
    const r = await ctxc(["doctor", "--json"], { env: { CTXC_PYTHON: fake } });
    const checks = JSON.parse(r.stdout) as Check[];
    for (const name of ["mlx", "mlx-lm", "tinker", "mlflow"]) {
      expect(byName(checks, name)).toMatchObject({ ok: false, detail: "not installed" });
      expect(byName(checks, name).hint).toContain("npm run setup:python");
    }
    expect(checks.find((c) => c.name === "mlx backend")).toBeUndefined();
  });

  test("a Python that does not exist is reported, not a crash", async () => {
    const r = await ctxc(["doctor", "--json"], { env: { CTXC_PYTHON: "/nonexistent/python3" } });
    expect(r.code).toBe(0);
    const py = byName(JSON.parse(r.stdout) as Check[], "python");
    expect(py.ok).toBe(false);
    expect(py.detail).toContain("/nonexistent/python3 (from $CTXC_PYTHON) does not run");
  });
});
