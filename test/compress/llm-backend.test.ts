// The llm backend (provider:model as a reference compressor) against the local fake providers:
// it must send exactly what generator/compress sends for the same doc.
import { afterAll, describe, expect, test } from "bun:test";
import { openCompressor } from "../../src/compress/open.ts";
import { CompressorError } from "../../src/compress/types.ts";
import { compressTemplate } from "../../src/llm/compress-request.ts";
import { renderPrompt } from "../../src/llm/prompt.ts";
import { startFakeAnthropic } from "../helpers/fake-anthropic.ts";
import { fakeCompress } from "../helpers/fake-common.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const KEY = "sk-test-llm-backend-0123456789";
const anthropic = startFakeAnthropic({ expectKey: KEY });
const openai = startFakeOpenAI({ expectKey: KEY });
const env = { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY, ANTHROPIC_BASE_URL: anthropic.url, OPENAI_BASE_URL: openai.url };
afterAll(() => {
  anthropic.stop();
  openai.stop();
});

const CODE = "def area(r):\n    # the area of a circle\n    return 3.14159 * r * r\n";
const PROSE = "The service retries failed uploads three times, then gives up and alerts the on-call engineer.";

for (const [model, server] of [["anthropic:claude-sonnet-4-6", anthropic], ["openai:gpt-4.1-mini", openai]] as const) {
  describe(model, () => {
    test("sends generator/compress's prompt for the doc's domain and returns the teacher's answer", async () => {
      const c = await openCompressor(model, { root: process.cwd(), env });
      expect(c.kind).toBe("llm");
      for (const [text, domain] of [[CODE, "code"], [PROSE, "nl"]] as const) {
        const seen: string[] = [];
        const r = await c.compress(text, { onText: (s) => seen.push(s) });
        const user = renderPrompt(compressTemplate({ domain }, {}, process.cwd()), text);
        expect(r.compressed).toBe(fakeCompress(user));
        expect(seen.length).toBe(2); // streamed: the fake sends the answer in two pieces
        expect(seen.join("")).toBe(r.compressed);
        expect(r.tokens_in).toBeGreaterThan(r.tokens_out);
      }
      const body = server.requests.at(-1)!.body as { temperature?: number; stream?: boolean };
      expect(body.temperature).toBe(0);
      expect(body.stream).toBe(true);
    });
  });
}

describe("llm backend errors", () => {
  test("a teacher spec without its API key names the variable, and sends nothing", async () => {
    const before = openai.requests.length;
    const e = await openCompressor("openai:gpt-4.1-mini", { root: process.cwd(), env: { OPENAI_BASE_URL: openai.url } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CompressorError);
    expect((e as Error).message).toContain("OPENAI_API_KEY");
    expect(openai.requests.length).toBe(before);
  });

  test("an unknown provider", async () => {
    const e = await openCompressor("nosuch:model", { root: process.cwd(), env }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CompressorError);
    expect((e as Error).message).toContain('unknown provider "nosuch"');
  });

  test("a provider failure is a CompressorError without the key", async () => {
    const c = await openCompressor("openai:gpt-4.1-mini", { root: process.cwd(), env: { ...env, OPENAI_API_KEY: "sk-wrong-key-abcdefgh" } });
    const e = await c.compress(PROSE).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CompressorError);
    expect((e as Error).message).toContain("401");
    expect((e as Error).message).not.toContain("sk-wrong-key-abcdefgh");
  });
});
