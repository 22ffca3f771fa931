// `ctxc runs log RUN --mlflow URI [--experiment NAME]`: send a run to an MLflow tracking server
// (params, step metrics, tags, status, files). Logging again updates the same MLflow run.
import { defineCommand } from "citty";
import { CtxcError, EXIT } from "../../core/errors.ts";
import { log } from "../../core/log.ts";
import { logRunToMlflow, MlflowError } from "../../runs/mlflow.ts";
import { applyVerbosity, verbosityArgs } from "../_shared.ts";
import { loadRun, resolveRun, runsDirArg, runsDirOf } from "./_shared.ts";

export const examples = [
  "ctxc runs log models/runs/tinker/2026-12-01T10-00-00-000Z --mlflow http://127.0.0.1:5000",
  "MLFLOW_TRACKING_USERNAME=me MLFLOW_TRACKING_PASSWORD=$DAGSHUB_TOKEN ctxc runs log mlx/2026-12-01T10-00-00-000Z --mlflow https://dagshub.com/me/repo.mlflow --experiment compression",
];

export default defineCommand({
  meta: {
    name: "log",
    description:
      "Log a training run to MLflow through its REST API: params (the trainer's options), step metrics from metrics.jsonl, tags, status and the run folder's files as artifacts. The MLflow run is tagged ctxc.run_id, so logging again updates it instead of making a second one. Auth: MLFLOW_TRACKING_USERNAME/PASSWORD (Basic, as DagsHub) or MLFLOW_TRACKING_TOKEN (Bearer).",
  },
  args: {
    run: { type: "positional", description: "The run: a folder, an id such as tinker/2026-12-01T10-00-00-000Z, a unique part of one, or last", required: true },
    ...runsDirArg,
    mlflow: { type: "string", description: "Tracking URI, e.g. http://127.0.0.1:5000 (default $MLFLOW_TRACKING_URI)" },
    experiment: { type: "string", description: "Experiment name (default $MLFLOW_EXPERIMENT_NAME, else ctxc)" },
    json: { type: "boolean", description: "Print the result as JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const uri = args.mlflow ?? process.env.MLFLOW_TRACKING_URI;
    if (!uri) throw new CtxcError("no MLflow tracking URI", { hint: "pass --mlflow http://host:5000 or set MLFLOW_TRACKING_URI", exitCode: EXIT.invalid });
    if (!/^https?:\/\//.test(uri)) throw new CtxcError(`--mlflow ${uri} is not an http(s) URL`, { hint: "ctxc logs through MLflow's REST API: pass the tracking server's URL, e.g. http://127.0.0.1:5000", exitCode: EXIT.invalid });
    const run = await loadRun(resolveRun(String(args.run), runsDirOf(args)));
    try {
      const r = await logRunToMlflow(run, { uri, experiment: args.experiment ?? process.env.MLFLOW_EXPERIMENT_NAME });
      if (args.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else {
        log.success(`${r.created ? "logged" : "updated"} MLflow run ${r.runId} (experiment ${r.experimentId}): ${r.params} params, ${r.metrics} metric points, ${r.artifacts.length} files`);
        if (r.artifactsSkipped) log.warn(`files not uploaded: ${r.artifactsSkipped}`);
      }
      return EXIT.ok;
    } catch (e) {
      if (e instanceof MlflowError) throw new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.failed });
      throw e;
    }
  },
});
