// trainer/tinker: LoRA on Tinker's cloud service through the official `tinker` SDK, driven by an
// embedded Python shim (shim.py; the SDK names it uses are declared in tinker_surface.py and
// checked against the installed SDK by a contract test). Run folder, resume, cost: train.ts.
import { defineTrainer } from "../../../src/sdk/index.ts";
import { estimateRun, priceOf } from "./cost.ts";
import { options } from "./options.ts";
import { NAME, trainTinker, VERSION } from "./train.ts";

export default defineTrainer({
  name: NAME,
  version: VERSION,
  description: "LoRA fine-tuning on Tinker (cloud) with the official SDK; costed, budgeted, resumable",
  options,
  preflight(_opts, { env }) {
    const problems: string[] = [];
    if (!env.TINKER_API_KEY) problems.push("TINKER_API_KEY is not set: trainer/tinker needs a Tinker API key in the environment (export TINKER_API_KEY=tml-…; it is never written to disk)");
    return problems;
  },
  async estimate(dataset, opts, ctx) {
    const e = estimateRun(dataset, opts);
    if (!priceOf(opts)) ctx.log.warn(`no Tinker price known for ${opts.model}; set price_per_mtok = { train = …, prefill = … } to estimate it`);
    const { steps: _s, trainTokens: _t, evalTokens: _e, ...row } = e;
    return [row];
  },
  train: trainTinker,
});
