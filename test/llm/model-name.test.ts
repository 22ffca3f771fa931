import { expect, test } from "bun:test";
import { baseUrlProblems, modelProblems } from "../../src/llm/keys.ts";
import { parseModel } from "../../src/llm/model-name.ts";

test("provider:model with presets; the model part may contain colons", () => {
  expect(parseModel("anthropic:claude-sonnet-4-6", { env: {} })).toMatchObject({ provider: "anthropic", model: "claude-sonnet-4-6", protocol: "anthropic", baseURL: "https://api.anthropic.com", keyEnv: "ANTHROPIC_API_KEY", local: false, batch: true });
  expect(parseModel("ollama:qwen3:8b", { env: {} })).toMatchObject({ provider: "ollama", model: "qwen3:8b", protocol: "openai", baseURL: "http://127.0.0.1:11434/v1", local: true, keyRequired: false });
  expect(parseModel("gemini:gemini-2.5-flash", { env: {} })).toMatchObject({ protocol: "openai", baseURL: "https://generativelanguage.googleapis.com/v1beta/openai", keyEnv: "GEMINI_API_KEY", batch: false });
  for (const p of ["lmstudio", "mlx", "vllm", "llamacpp"]) expect(parseModel(`${p}:m`, { env: {} }).local).toBe(true);
});

test("base URL: option beats environment beats preset; trailing slashes dropped", () => {
  const env = { OLLAMA_BASE_URL: "http://gpu:11434/v1/" };
  expect(parseModel("ollama:m", { env }).baseURL).toBe("http://gpu:11434/v1");
  expect(parseModel("ollama:m", { env, baseUrls: { ollama: "http://other:1/v1" } }).baseURL).toBe("http://other:1/v1");
  expect(parseModel("openai:gpt-4.1", { env: { OPENAI_BASE_URL: "http://proxy/v1" } }).baseURL).toBe("http://proxy/v1");
});

test("openai-compatible carries its URL and model; loopback hosts are local", () => {
  expect(parseModel("openai-compatible:http://127.0.0.1:8000/v1#Qwen/Qwen3-8B")).toMatchObject({ baseURL: "http://127.0.0.1:8000/v1", model: "Qwen/Qwen3-8B", local: true });
  expect(parseModel("openai-compatible:https://llm.example.com/v1#m").local).toBe(false);
  expect(() => parseModel("openai-compatible:http://host/v1")).toThrow("openai-compatible:http://HOST:PORT/v1#MODEL");
});

test("bad names say what is wrong and list the providers", () => {
  expect(() => parseModel("claude-sonnet")).toThrow(/provider:model.*anthropic, openai/);
  expect(() => parseModel("antropic:claude")).toThrow(/unknown provider "antropic".*anthropic/);
  expect(() => parseModel("openai:")).toThrow("provider:model");
});

test("modelProblems names missing key variables, never values; local servers need none", () => {
  const env = { OPENAI_API_KEY: "sk-live-123" };
  const problems = modelProblems([{ role: "teacher", name: "anthropic:claude-haiku-4-5" }, { role: "judge", name: "openai:gpt-4.1" }, { role: "local", name: "vllm:m" }], { env });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain("ANTHROPIC_API_KEY");
  expect(problems[0]).toStartWith("teacher");
  expect(problems.join()).not.toContain("sk-live-123");
  expect(modelProblems([{ role: "teacher", name: "anthropic:x" }], { env: { ANTHROPIC_API_KEY: "  " } })).toHaveLength(1);
});

test("base_urls: a key naming no provider gets the nearest name; a value that is not http(s) is reported", () => {
  const env = { ANTHROPIC_API_KEY: "k" };
  const models = [{ role: "teacher", name: "ollama:qwen3:8b" }];
  expect(modelProblems(models, { env, baseUrls: { ollama: "http://gpu-box:11434/v1", anthropic: "https://proxy.example/anthropic" } })).toEqual([]);
  expect(baseUrlProblems({ olama: "http://gpu-box:11434/v1" })).toEqual([expect.stringMatching(/^base_urls\.olama: no provider is called "olama"; did you mean "ollama"\? \(known: anthropic, openai, gemini, ollama/)]);
  expect(baseUrlProblems({ zzzzzzzz: "http://x" })[0]).not.toContain("did you mean");
  expect(baseUrlProblems({ ollama: "gpu-box:11434/v1" })).toEqual(['base_urls.ollama: "gpu-box:11434/v1" is not an http:// or https:// URL; write it as e.g. http://HOST:PORT/v1']);
  expect(baseUrlProblems({ vllm: "ftp://host/v1", openai: "https://" })).toHaveLength(2);
  expect(baseUrlProblems({ "openai-compatible": "http://h/v1" })[0]).toContain("carries its URL in its name");
  // Reported once per stage, after the models' own problems.
  expect(modelProblems([{ role: "a", name: "ollama:m" }, { role: "b", name: "vllm:m" }], { env, baseUrls: { olama: "http://h" } })).toHaveLength(1);
});

test("temperature above 1 is a problem for Anthropic models only (Anthropic answers it with a 400 no retry mends)", () => {
  const env = { ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "k" };
  const models = [{ role: "teacher", name: "anthropic:claude-haiku-4-5" }, { role: "fallback", name: "openai:gpt-4.1" }];
  expect(modelProblems(models, { env, temperature: 1 })).toEqual([]);
  expect(modelProblems(models, { env, temperature: 1.5 })).toEqual(['teacher "anthropic:claude-haiku-4-5": Anthropic accepts temperature 0 to 1, not 1.5; lower temperature']);
  expect(modelProblems([{ role: "teacher", name: "openai:gpt-4.1" }], { env, temperature: 2 })).toEqual([]);
});
