import { defineCommand } from "citty";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";
import { findPython, PYTHON_SETUP_HINT, type PythonChoice } from "../python/find.ts";
import { probePython } from "../python/probe.ts";
import { versionLine } from "./version.ts";

/** Provider keys ctxc reads. Only whether each is set is ever shown, never a value. */
export const KEY_VARS = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "TINKER_API_KEY", "HF_TOKEN"];

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

function run(cmd: string[], timeoutMs = 15_000): { ok: boolean; out: string } {
  try {
    const p = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
    const out = (p.stdout.toString() + p.stderr.toString()).trim();
    return { ok: p.exitCode === 0, out };
  } catch (e) {
    return { ok: false, out: (e as Error).message };
  }
}

const WHY: Record<PythonChoice["source"], string> = {
  option: "the stage's python option",
  CTXC_PYTHON: "$CTXC_PYTHON",
  ".venv": ".venv (npm run setup:python)",
  PATH: "python3 on PATH (no $CTXC_PYTHON, no .venv)",
};

const USES: Record<string, string> = { mlx: "trainer/mlx", "mlx-lm": "trainer/mlx", tinker: "trainer/tinker", mlflow: "the tracking tests (a local `mlflow server`; ctxc itself logs over MLflow's REST API)" };

/** The interpreter the trainers would use, why that one, its packages and MLX's backend. */
export function pythonChecks(choice: PythonChoice): Check[] {
  const p = probePython(choice);
  if (!p.ok) return [{ name: "python", ok: false, detail: `${choice.python} (from ${WHY[choice.source]}) does not run: ${p.error}`, hint: PYTHON_SETUP_HINT }];
  const checks: Check[] = [{ name: "python", ok: true, detail: `${p.executable} — Python ${p.version}, from ${WHY[choice.source]}` }];
  for (const [name, version] of Object.entries(p.packages)) {
    checks.push(version ? { name, ok: true, detail: version } : { name, ok: false, detail: "not installed", hint: `needed by ${USES[name]}: ${PYTHON_SETUP_HINT}` });
  }
  if (p.packages.mlx) {
    checks.push(p.backend
      ? { name: "mlx backend", ok: true, detail: p.backend === "metal" ? "Metal (GPU)" : "CPU only (no Metal: expected off macOS)" }
      : { name: "mlx backend", ok: false, detail: `mlx does not import: ${p.error ?? "unknown error"}`, hint: "reinstall mlx (pip install -U 'mlx[cpu]' on Linux, 'mlx' on macOS)" });
  }
  return checks;
}

export function doctorChecks(env: Record<string, string | undefined> = process.env): Check[] {
  const checks: Check[] = [];
  checks.push({ name: "ctxc", ok: true, detail: versionLine() });
  const apple = process.platform === "darwin" && process.arch === "arm64";
  checks.push({ name: "platform", ok: true, detail: `${process.platform}-${process.arch}${apple ? " (Apple Silicon: MLX trains on Metal)" : " (MLX only on CPU here (mlx[cpu]): fine for tests, slow for real models; train with Tinker or on an Apple Silicon Mac)"}` });
  checks.push(...pythonChecks(findPython({ env, root: process.cwd() })));
  for (const k of KEY_VARS) {
    const set = typeof env[k] === "string" && env[k]!.length > 0;
    checks.push({ name: k, ok: set, detail: set ? "set" : "not set", hint: set ? undefined : "export it or put it in .env (Bun loads .env) if you use that provider" });
  }
  return checks;
}

export const examples = [
    "ctxc doctor",
    "ctxc doctor --json",
  ];

export default defineCommand({
  meta: {
    name: "doctor",
    description:
      "Report what this machine has for each backend: the Python the trainers use (and why that one), its mlx, mlx-lm, tinker and mlflow versions, MLX's Metal or CPU backend, and which provider API keys are set (names only, never values).",
  },
  args: {
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  run({ args }) {
    applyVerbosity(args);
    const checks = doctorChecks();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      return 0;
    }
    for (const c of checks) {
      process.stdout.write(`${c.ok ? "✔" : "✘"} ${c.name.padEnd(20)} ${c.detail}\n`);
      if (c.hint) process.stdout.write(`  ${" ".repeat(20)} ${c.hint}\n`);
    }
    return 0;
  },
});
