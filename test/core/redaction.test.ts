// No secret ctxc was given reaches any sink. For every provider preset, a local server echoes the
// key it receives in its error bodies (plain, URL-encoded, nested JSON), in headers and in a 200
// answer; the run is made plain, with --verbose and with --json; then every file of the workspace
// (the SQLite database and its WAL byte for byte), stdout and stderr are searched for the key,
// its URL encoding and its base64 (e.g. inside Basic auth). The other credentials (TINKER_API_KEY,
// HF_TOKEN, MLflow's) are planted in the corpus itself and must not come out either.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS } from "../../src/llm/providers.ts";
import { isSecretEnvName } from "../../src/text/redact.ts";
import { ctxc, workspace } from "../helpers/cli.ts";
import { startEchoServer, type EchoServer } from "../helpers/fake-echo.ts";

let server: EchoServer;
beforeAll(() => {
  server = startEchoServer();
});
afterAll(() => server.stop());

/** A key with no telltale shape, and characters that change under URL encoding. */
const keyFor = (provider: string) => `Zq${provider.replace(/[^a-z]/g, "")}/Secret+Key=Value&x_${Bun.hash(provider).toString(36)}`;

const OTHER_SECRETS: Record<string, string> = {
  TINKER_API_KEY: "tml-tinkerSecretValue-4f2a9",
  HF_TOKEN: "hf_PlantedHuggingFaceToken42",
  MLFLOW_TRACKING_USERNAME: "mlflow-user-name",
  MLFLOW_TRACKING_PASSWORD: "mlflow+password/with=odd&chars",
  MLFLOW_TRACKING_TOKEN: "mlflowTokenValue-0123456789",
};

/** Every encoding a secret is checked in. */
function leakForms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString("base64").replace(/=+$/, "");
  return [secret, encodeURIComponent(secret), b64.slice(0, -4)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function leaks(haystack: string, secrets: string[]): string[] {
  return secrets.flatMap((s) => leakForms(s).filter((f) => haystack.includes(f)).map((f) => `${s} as ${f}`));
}

test("every provider's key variable counts as a secret by its name", () => {
  for (const p of Object.values(PROVIDERS)) expect(isSecretEnvName(p.keyEnv)).toBe(true);
  for (const name of Object.keys(OTHER_SECRETS)) expect(isSecretEnvName(name)).toBe(true);
  expect(isSecretEnvName("PATH")).toBe(false);
  expect(isSecretEnvName("OPENAI_BASE_URL")).toBe(false);
});

const CASES = ["ok", "401", "400", "418", "500"];
const MODES: Array<{ name: string; flags: string[] }> = [
  { name: "plain", flags: [] },
  { name: "--verbose", flags: ["--verbose"] },
  { name: "--json", flags: ["--json"] },
];

describe.each(Object.entries(PROVIDERS))("%s", (provider, preset) => {
  for (const mode of MODES) {
    test(`the echoed key is in no file, nor stdout/stderr (${mode.name})`, async () => {
      const key = keyFor(provider);
      const basic = Buffer.from(`${OTHER_SECRETS.MLFLOW_TRACKING_USERNAME}:${OTHER_SECRETS.MLFLOW_TRACKING_PASSWORD}`).toString("base64");
      const docs = CASES.map((c) => ({ text: `a document for case:${c} with enough words to compress it well` }));
      // A corpus that itself holds credentials (a committed .env, a log with a Basic header).
      docs.push({ text: `HF_TOKEN=${OTHER_SECRETS.HF_TOKEN} TINKER_API_KEY=${OTHER_SECRETS.TINKER_API_KEY} token ${OTHER_SECRETS.MLFLOW_TRACKING_TOKEN} Authorization: Basic ${basic} case:ok` });
      const model = provider === "openai-compatible" ? `openai-compatible:${server.url}/v1#test-model` : `${provider}:test-model`;
      const base = preset.protocol === "anthropic" ? server.url : `${server.url}/v1`;
      const dir = await workspace({
        "docs.jsonl": docs.map((d) => JSON.stringify(d)).join("\n") + "\n",
        "pipeline.toml": `name = "leak"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["docs.jsonl"]\ndomain = "nl"\n[[stages]]\nuse = "generator/compress"\nteacher = "${model}"\nmax_retries = 0\nconcurrency = 2\n`,
      });
      const env: Record<string, string> = { ...OTHER_SECRETS, [preset.keyEnv]: key };
      if (preset.baseUrlEnv) env[preset.baseUrlEnv] = base;
      const seenBefore = server.seen.length;
      const r = await ctxc(["run", "pipeline.toml", ...mode.flags], { cwd: dir, env });
      const secrets = [key, ...Object.values(OTHER_SECRETS)];

      // Not vacuous: the key reached the server, came back, and was replaced.
      expect(server.seen.slice(seenBefore)).toContain(key);
      const ws = join(dir, "ws");
      const rejected = readFileSync(join(ws, "02-generator-compress", "rejected.jsonl"), "utf8");
      expect(rejected.split("\n").filter(Boolean)).toHaveLength(4);
      expect(rejected).toContain("[redacted]");
      expect(readFileSync(join(ws, "02-generator-compress", "out.jsonl"), "utf8")).toContain("[redacted]");
      if (mode.name === "--json") expect(JSON.parse(r.stdout).status).toBeDefined();

      expect(leaks(r.stdout, secrets)).toEqual([]);
      expect(leaks(r.stderr, secrets)).toEqual([]);
      const files = filesUnder(ws);
      expect(files.some((f) => f.endsWith("ctxc.sqlite"))).toBe(true);
      for (const f of files) expect({ file: f, leaks: leaks(readFileSync(f).toString("latin1"), secrets) }).toEqual({ file: f, leaks: [] });
    }, 30_000);
  }
});
