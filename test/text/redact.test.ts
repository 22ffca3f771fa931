// The redactor's contract: each known secret and its likely encodings are replaced; nothing else
// is touched; JSON stays JSON; a pipeline's own key variables are learned from its options.
import { afterEach, expect, test } from "bun:test";
import { addSecret, addSecretsFromEnv, containsSecret, redact, redactJson, redactMessage, resetSecrets, scanEnvForSecrets, secretEnvNamesIn } from "../../src/text/redact.ts";

afterEach(() => resetSecrets());

const KEY = "AIzaSy-Test/Key+With=Odd&Chars_123";

test("the raw, URL-encoded, form-encoded, JSON-escaped and base64 forms are replaced", () => {
  addSecret(KEY);
  for (const form of [KEY, encodeURIComponent(KEY), encodeURIComponent(KEY).replace(/%20/g, "+"), Buffer.from(KEY).toString("base64"), Buffer.from(KEY).toString("base64url")]) {
    expect(redact(`before ${form} after`)).toMatch(/^before \[redacted\]=* after$/);
  }
  const quoted = 'sec"ret\\value-42';
  addSecret(quoted);
  expect(redact(JSON.stringify({ k: quoted }))).toBe('{"k":"[redacted]"}');
});

test("base64 of the key inside Basic auth is caught whatever the user name", () => {
  addSecret(KEY);
  for (const user of ["", "u", "ab", "someone"]) {
    const basic = Buffer.from(`${user}:${KEY}`).toString("base64");
    expect(containsSecret(`Authorization: Basic ${basic}`)).toBe(true);
  }
});

test("Basic auth of two known secrets (MLflow user:password) is caught whole", () => {
  addSecretsFromEnv(["MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"], { MLFLOW_TRACKING_USERNAME: "mlflow-admin", MLFLOW_TRACKING_PASSWORD: "hunter2-but-longer" });
  const basic = Buffer.from("mlflow-admin:hunter2-but-longer").toString("base64");
  expect(redact(basic)).not.toContain(basic.slice(4, -4));
});

test("values shorter than 8 characters are not secrets (they would mangle the dataset)", () => {
  addSecret("admin");
  expect(redact("the admin panel")).toBe("the admin panel");
});

test("text without a secret is returned unchanged, and JSON stays parseable", () => {
  addSecret(KEY);
  expect(redact("nothing here")).toBe("nothing here");
  const json = JSON.stringify({ detail: `HTTP 401: ${KEY}`, nested: [{ key: KEY }] });
  expect(JSON.parse(redactJson(json))).toEqual({ detail: "HTTP 401: [redacted]", nested: [{ key: "[redacted]" }] });
});

test("credential-named variables of the environment are learned; others are not", () => {
  scanEnvForSecrets({ SOME_PROVIDER_API_KEY: "value-of-an-api-key", HF_TOKEN: "hf_abcdefghijkl", HOME_DIR: "/home/someone/long" });
  expect(redact("value-of-an-api-key hf_abcdefghijkl /home/someone/long")).toBe("[redacted] [redacted] /home/someone/long");
});

test("messages also get the shape-based mask for keys ctxc was never given", () => {
  expect(redactMessage("Incorrect API key provided: sk-proj-****abcd.")).toBe("Incorrect API key provided: [key].");
  expect(redact("sk-learn is a dataset word")).toBe("sk-learn is a dataset word");
});

test("a pipeline's own key variables are found in its options, at any depth", () => {
  expect(secretEnvNamesIn({ api_key_env: "MY_KEY", judge: { token_env: "JUDGE_TOKEN" }, list: [{ password_env: "PW" }], base_url_env: "NOT_A_SECRET" })).toEqual(["MY_KEY", "JUDGE_TOKEN", "PW"]);
});
