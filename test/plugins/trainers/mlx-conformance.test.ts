// trainer/mlx passes the trainer conformance suite (test/plugins/_conformance.ts) with the real
// mlx-lm on CPU and the tiny Qwen3: 2 iterations on 8 real pairs, and an empty dataset.
import { describe } from "bun:test";
import plugin from "../../../plugins/trainers/mlx/index.ts";
import { tempDir } from "../../helpers/cli.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { tinyQwen3 } from "../../helpers/tiny-model.ts";
import { testTrainerConformance } from "../_conformance.ts";
import { datasetOf, FAST } from "./_mlx.ts";

describe.skipIf(!hasPython)("trainer/mlx conformance", () => {
  testTrainerConformance(plugin, { ...FAST, model: hasPython ? tinyQwen3() : "", iters: 2, save_every: 1, python: testPython() }, async () => ({ root: tempDir("ctxc-mlx-conf-"), dataset: datasetOf({ train: 8, valid: 2, test: 2 }) }));
});
