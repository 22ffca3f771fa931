// What a Python has for ctxc's model half: its version, the versions of mlx, mlx-lm, tinker and
// mlflow (by package metadata, without importing the heavy ones), and whether MLX's Metal backend
// is there (macOS) or only the CPU one. One short process; used by `ctxc doctor`.
import type { PythonChoice } from "./find.ts";

export const PROBED_PACKAGES = ["mlx", "mlx-lm", "tinker", "mlflow"] as const;

export interface PythonProbe {
  python: string;
  source: PythonChoice["source"];
  ok: boolean;
  version?: string;
  executable?: string;
  /** Package → version, or null when it is not installed there. */
  packages: Record<string, string | null>;
  /** "metal", "cpu", or null when mlx is missing or fails to import. */
  backend: "metal" | "cpu" | null;
  error?: string;
}

const SCRIPT = `
import json, sys, importlib.metadata as m
out = {"version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable, "packages": {}, "backend": None}
for name in sys.argv[1:]:
    try:
        out["packages"][name] = m.version(name)
    except m.PackageNotFoundError:
        out["packages"][name] = None
if out["packages"].get("mlx"):
    try:
        import mlx.core as mx
        out["backend"] = "metal" if mx.metal.is_available() else "cpu"
    except Exception as e:
        out["mlx_error"] = str(e)
print(json.dumps(out))
`;

export function probePython(choice: PythonChoice, timeoutMs = 30_000): PythonProbe {
  const base: PythonProbe = { python: choice.python, source: choice.source, ok: false, packages: {}, backend: null };
  let p: ReturnType<typeof Bun.spawnSync>;
  try {
    p = Bun.spawnSync([choice.python, "-c", SCRIPT, ...PROBED_PACKAGES], { stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  } catch (e) {
    return { ...base, error: (e as Error).message };
  }
  const out = String(p.stdout ?? "").trim().split("\n").pop() ?? "";
  if (p.exitCode !== 0 || !out.startsWith("{")) return { ...base, error: String(p.stderr ?? "").trim().split("\n").pop() || `exit ${p.exitCode}` };
  const r = JSON.parse(out) as { version: string; executable: string; packages: Record<string, string | null>; backend: "metal" | "cpu" | null; mlx_error?: string };
  return { ...base, ok: true, version: r.version, executable: r.executable, packages: r.packages, backend: r.backend, error: r.mlx_error };
}
