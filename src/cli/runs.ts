// `ctxc runs <list|show|compare|convert|log>`: the training runs in models/runs/<trainer>/<timestamp>/.
// One small file per sub-command under runs/, loaded lazily; add a sub-command with one line here.
import { defineCommand } from "citty";

export const examples = [
  "ctxc runs list                              every run: status, base model, losses, tokens/s, cost",
  "ctxc runs show last                         the newest run in full",
  "ctxc runs show mlx/2026-12-01T16-05-09-123Z --json",
  "ctxc runs compare 16-05-09 17-30-00          two runs side by side (unique parts of ids)",
  "ctxc runs list --runs-dir examples/x/models/runs",
  "ctxc runs convert last --to mlx               a Tinker run's PEFT adapter as an mlx-lm adapter",
  "ctxc runs log last --mlflow http://127.0.0.1:5000",
];

export const subCommands = {
  list: () => import("./runs/list.ts").then((m) => m.default),
  show: () => import("./runs/show.ts").then((m) => m.default),
  compare: () => import("./runs/compare.ts").then((m) => m.default),
  convert: () => import("./runs/convert.ts").then((m) => m.default),
  log: () => import("./runs/log.ts").then((m) => m.default),
};

export default defineCommand({
  meta: { name: "runs", description: "List, show and compare training runs (models/runs/<trainer>/<timestamp>/run.json); convert an adapter for mlx-lm; log a run to MLflow" },
  subCommands,
});
