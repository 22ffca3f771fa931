// Which Python runs the trainers' shims: the stage's `python` option, else $CTXC_PYTHON, else the
// project's venv (`.venv/bin/python` beside the pipeline, then in the working folder — what
// `npm run setup:python` makes), else `python3` on PATH. `ctxc doctor` shows the same choice.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export type PythonSource = "option" | "CTXC_PYTHON" | ".venv" | "PATH";

export interface PythonChoice {
  python: string;
  source: PythonSource;
}

export function findPython(opts: { option?: string; env?: Record<string, string | undefined>; root?: string } = {}): PythonChoice {
  const env = opts.env ?? process.env;
  if (opts.option) return { python: opts.option, source: "option" };
  if (env.CTXC_PYTHON) return { python: env.CTXC_PYTHON, source: "CTXC_PYTHON" };
  const bin = process.platform === "win32" ? join("Scripts", "python.exe") : join("bin", "python");
  for (const dir of [opts.root, process.cwd()]) {
    if (!dir) continue;
    const candidate = resolve(dir, ".venv", bin);
    if (existsSync(candidate)) return { python: candidate, source: ".venv" };
  }
  return { python: "python3", source: "PATH" };
}

/** The hint every "Python or a package is missing" error ends with. */
export const PYTHON_SETUP_HINT =
  "run `npm run setup:python` in the ctxc checkout (makes .venv/ from python/requirements.txt), or set CTXC_PYTHON / the stage's `python` option to an interpreter that has the packages";
