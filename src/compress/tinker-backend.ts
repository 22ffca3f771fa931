// The `tinker` backend: a trainer/tinker run, sampled through Tinker's OpenAI-compatible endpoint
// (`<TINKER_BASE_URL>/oai/api/v1`, model = the run's `tinker://…/sampler_weights/…` path). The key
// is TINKER_API_KEY, sent as X-API-Key (Tinker's auth header) and as the SDK's Bearer token.
import { chatCompressor } from "./chat-compressor.ts";
import type { OpenContext, OpenTarget } from "./open.ts";
import { studentPrompt } from "./student-prompt.ts";
import { CompressorError, type Compressor } from "./types.ts";
import { describeError } from "../llm/errors.ts";

export const TINKER_DEFAULT_BASE_URL = "https://tinker.thinkingmachines.dev/services/tinker-prod";
const KEY_ENV = "TINKER_API_KEY";

/** The sampler path a trainer/tinker run recorded (`samplerPath`; `adapter` if it is a tinker:// path). */
export function samplerPath(run: NonNullable<OpenTarget["run"]>): string {
  const candidates = [run.samplerPath, run.sampler_path, run.adapter];
  const found = candidates.find((c): c is string => typeof c === "string" && c.startsWith("tinker://"));
  if (!found) throw new CompressorError(`${run.dir}/run.json has no tinker:// sampler path (key "samplerPath")`, "the run did not finish saving its sampler weights; train again or pick another run with `ctxc runs list`");
  return found;
}

export function oaiBaseUrl(env: Record<string, string | undefined>): string {
  return `${(env.TINKER_BASE_URL?.trim() || TINKER_DEFAULT_BASE_URL).replace(/\/+$/, "")}/oai/api/v1`;
}

export async function open(target: OpenTarget, ctx: OpenContext): Promise<Compressor> {
  if (!target.run) throw new CompressorError(`"${target.spec}" is not a trainer/tinker run`, "pass a run folder of trainer/tinker");
  const env = ctx.env ?? process.env;
  const model = samplerPath(target.run);
  const key = env[KEY_ENV]?.trim();
  if (!key) throw new CompressorError(`${target.spec} samples on Tinker and needs the environment variable ${KEY_ENV}`, "set it in the shell or in a .env file in the folder you run ctxc from");
  return chatCompressor({
    spec: `tinker:${target.run.dir}`,
    kind: "tinker",
    baseURL: oaiBaseUrl(env),
    model,
    prompt: studentPrompt(target.run),
    apiKey: key,
    headers: { "X-API-Key": key },
    maxRetries: 4,
    explain: (e) => new CompressorError(`${target.spec}: Tinker sampling failed: ${describeError(e)}`, "check TINKER_API_KEY, TINKER_BASE_URL and that the sampler weights still exist"),
  });
}
