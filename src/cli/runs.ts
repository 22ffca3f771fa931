// `ctxc runs <sub-command>`: the training runs under models/runs. Each sub-command is its own
// file in src/cli/runs/, loaded lazily; main.ts runs a sub-command directly (citty's nested
// runner drops its exit code).
import { defineCommand, type CommandDef } from "citty";

export interface SubModule {
  default: CommandDef<any>;
  examples?: string[];
}

export const SUBCOMMANDS: Record<string, () => Promise<SubModule>> = {
  convert: () => import("./runs/convert.ts"),
  log: () => import("./runs/log.ts"),
};

export const examples = [
  "ctxc runs convert models/runs/tinker/2026-12-01T10-00-00-000Z --to mlx",
  "ctxc runs log models/runs/tinker/2026-12-01T10-00-00-000Z --mlflow http://127.0.0.1:5000",
];

export default defineCommand({
  meta: { name: "runs", description: "Training runs (models/runs/<trainer>/<timestamp>/): convert an adapter, log a run to MLflow" },
  subCommands: Object.fromEntries(Object.entries(SUBCOMMANDS).map(([name, load]) => [name, () => load().then((m) => m.default)])),
});
