import { defineCommand } from "citty";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";
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

function pythonModule(python: string, mod: string, hint: string): Check {
  const r = run([python, "-c", `import importlib.metadata as m, ${mod}; print(m.version("${mod.replace("_", "-")}"))`]);
  return r.ok
    ? { name: `${mod} (python)`, ok: true, detail: r.out.split("\n").pop()! }
    : { name: `${mod} (python)`, ok: false, detail: "not importable", hint };
}

export function doctorChecks(env: Record<string, string | undefined> = process.env): Check[] {
  const checks: Check[] = [];
  checks.push({ name: "ctxc", ok: true, detail: versionLine() });
  checks.push({ name: "platform", ok: true, detail: `${process.platform}-${process.arch}${process.platform === "darwin" && process.arch === "arm64" ? " (Apple Silicon: MLX training possible)" : " (no MLX here: train with Tinker, or on an Apple Silicon Mac)"}` });
  const python = env.CTXC_PYTHON ?? "python3";
  const py = run([python, "--version"]);
  checks.push(py.ok ? { name: "python", ok: true, detail: `${python}: ${py.out}` } : { name: "python", ok: false, detail: `${python} not found`, hint: "install Python 3.10+ or set CTXC_PYTHON to its path (needed by the MLX and Tinker trainers)" });
  if (py.ok) {
    checks.push(pythonModule(python, "mlx_lm", "pip install mlx-lm (Apple Silicon only) for trainer/mlx"));
    checks.push(pythonModule(python, "tinker", "pip install tinker for trainer/tinker"));
  }
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
      "Report what this machine has for each backend: Bun, python3, mlx-lm and tinker imports, and which provider API keys are set (names only, never values).",
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
