// trainer/tinker passes the trainer conformance suite (test/plugins/_conformance.ts) against the
// fake `tinker` package: a run on real pairs, and an empty dataset.
import { afterAll, beforeAll, describe } from "bun:test";
import plugin from "../../../plugins/trainers/tinker/index.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { testTrainerConformance } from "../_conformance.ts";
import { fakeProject, useFake } from "./_tinker-fake.ts";

describe.skipIf(!hasPython)("trainer/tinker conformance", () => {
  let restore: (() => void) | undefined;
  beforeAll(() => {
    restore = useFake(fakeProject(1, 0));
  });
  afterAll(() => restore?.());
  testTrainerConformance(plugin, { model: "Qwen/Qwen3-8B", batch_size: 4, eval_every: 2, save_every: 2, python: testPython() }, async () => {
    const p = fakeProject(12, 4);
    return { root: p.root, dataset: p.dataset };
  });
});
