// openaiBody: what docs/llm.md promises about OpenAI's parameters, per provider and model family.
import { expect, test } from "bun:test";
import { parseModel } from "../../src/llm/model-name.ts";
import { anthropicParams, openaiBody } from "../../src/llm/wire.ts";
import type { WireRequest } from "../../src/llm/types.ts";

const req = (model: string, extra: Partial<WireRequest> = {}): WireRequest => ({ model, user: "Compress: x", temperature: 0.3, maxTokens: 77, ...extra });

test("OpenAI's own models get max_completion_tokens; other OpenAI-compatible servers get max_tokens", () => {
  const official = openaiBody(parseModel("openai:gpt-4.1-mini"), req("gpt-4.1-mini"));
  expect(official).toEqual({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Compress: x" }], max_completion_tokens: 77, temperature: 0.3 });
  for (const name of ["ollama:qwen3:8b", "gemini:gemini-2.5-flash", "vllm:m"]) {
    const spec = parseModel(name);
    const body = openaiBody(spec, req(spec.model));
    expect(body).toMatchObject({ max_tokens: 77, temperature: 0.3 });
    expect(body).not.toHaveProperty("max_completion_tokens");
  }
});

test("OpenAI's reasoning models (o*, gpt-5*) are sent no temperature, still max_completion_tokens", () => {
  for (const model of ["o3", "o4-mini", "gpt-5", "gpt-5.4-mini"]) {
    const body = openaiBody(parseModel(`openai:${model}`), req(model));
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("max_tokens");
    expect(body.max_completion_tokens).toBe(77);
  }
  // The same names on a local server are not OpenAI's: they keep their temperature.
  expect(openaiBody(parseModel("ollama:gpt-5"), req("gpt-5"))).toMatchObject({ temperature: 0.3, max_tokens: 77 });
});

test("a system prompt comes first; an unset temperature is not sent", () => {
  const body = openaiBody(parseModel("openai:gpt-4.1"), req("gpt-4.1", { system: "Be terse.", temperature: undefined }));
  expect(body.messages).toEqual([{ role: "system", content: "Be terse." }, { role: "user", content: "Compress: x" }]);
  expect(body).not.toHaveProperty("temperature");
  expect(anthropicParams(req("claude-haiku-4-5", { system: "Be terse." })) as unknown).toEqual({ model: "claude-haiku-4-5", max_tokens: 77, messages: [{ role: "user", content: "Compress: x" }], system: "Be terse.", temperature: 0.3 });
});
