// API keys come only from the environment (Bun loads `.env`). They are read when a client is
// made and handed straight to the SDK; nothing else in ctxc ever holds or prints them.
import { parseModel, type ModelSpec, type ResolveOptions } from "./model-name.ts";

/** Local servers ignore the key, but the OpenAI SDK refuses to start without one. */
const PLACEHOLDER_KEY = "not-needed";

export function apiKeyFor(spec: ModelSpec, env: Record<string, string | undefined> = process.env): string | undefined {
  const key = env[spec.keyEnv]?.trim();
  if (key) return key;
  return spec.keyRequired ? undefined : PLACEHOLDER_KEY;
}

/**
 * Problems with a list of model names, as sentences for `validate` and the run's preflight:
 * names that do not parse and API-key variables that are not set. Never includes a key's value.
 */
export function modelProblems(models: Array<{ role: string; name: string }>, opts: ResolveOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  for (const { role, name } of models) {
    let spec: ModelSpec;
    try {
      spec = parseModel(name, opts);
    } catch (e) {
      problems.push(`${role}: ${(e as Error).message}`);
      continue;
    }
    if (!apiKeyFor(spec, env)) {
      problems.push(`${role} "${name}" needs the environment variable ${spec.keyEnv}; set it in the shell or in a .env file in the folder you run ctxc from`);
    }
  }
  return problems;
}
