// A REAL MLflow tracking server for tests: `mlflow server` from the venv on 127.0.0.1, a SQLite
// backend and a local artifact store in a temp folder, with the artifact proxy on. Start-up
// (database migrations) takes seconds to a minute on a busy machine: callers wait on /health.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { testPython } from "./python.ts";

export interface MlflowServer {
  uri: string;
  dir: string;
  stop(): Promise<void>;
}

function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export async function startMlflow(deadlineMs = 240_000): Promise<MlflowServer> {
  const python = testPython();
  if (!python) throw new Error("no Python venv for mlflow (npm run setup:python)");
  const mlflow = join(dirname(python), "mlflow");
  const dir = mkdtempSync(join(tmpdir(), "ctxc-mlflow-"));
  const port = freePort();
  const proc = Bun.spawn([mlflow, "server", "--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`, "--artifacts-destination", join(dir, "artifacts"),
    "--host", "127.0.0.1", "--port", String(port), "--workers", "1"], { cwd: dir, stdout: Bun.file(join(dir, "server.log")), stderr: Bun.file(join(dir, "server.err.log")) });
  const uri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(timer);
  };
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`mlflow server exited with ${proc.exitCode}: see ${dir}/server.err.log`);
    try {
      if ((await fetch(`${uri}/health`)).ok) return { uri, dir, stop };
    } catch {
      /* not listening yet */
    }
    await Bun.sleep(500);
  }
  await stop();
  throw new Error(`mlflow server did not answer /health within ${deadlineMs / 1000}s (log: ${dir}/server.err.log)`);
}
