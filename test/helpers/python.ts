// The Python that Python-backed tests use: $CTXC_PYTHON, else the checkout's .venv (made by
// `npm run setup:python`). Without one a test may skip on a developer's machine, never in CI
// (CI=true): there a missing venv is a failure, so a broken setup cannot pass as green.
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

export function testPython(): string | undefined {
  const candidates = [process.env.CTXC_PYTHON, join(ROOT, ".venv", "bin", "python")];
  for (const c of candidates) if (c && existsSync(c)) return c;
  if (process.env.CI === "true") throw new Error("CI=true but no Python venv: run `npm run setup:python` (Python-backed tests must run in CI)");
  return undefined;
}

/** `describe.skipIf(!hasPython)` reads better than a try/catch in every file. */
export const hasPython = testPython() !== undefined;
