import { describe, expect, test } from "bun:test";
import plugin from "../../../plugins/filters/strip-artifacts.ts";
import { isReject } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";

testFilterConformance(plugin, {});

const ORIGINAL = "The bridge, which opened in 1932, is not a toll road.";
const clean = "bridge opened 1932 | ¬toll road";
const compressedOf = async (answer: string, options = {}) => ((await run(plugin, pair(ORIGINAL, answer), options)) as Doc).compressed;

describe("filter/strip-artifacts", () => {
  test("removes think blocks and keeps the answer; counts what it stripped", async () => {
    const ctx = testContext({ name: plugin.name });
    const out = (await run(plugin, pair(ORIGINAL, `<think>\nThe user wants it short.\n</think>\n\n${clean}`), {}, ctx)) as Doc;
    expect(out.compressed).toBe(clean);
    expect(out.meta.stripped).toEqual(["think_block"]);
    expect(ctx.counters["stripped:think_block"]).toBe(1);
    expect(await compressedOf(`<thinking>hmm</thinking>${clean}`)).toBe(clean);
    // Qwen3 thinking mode: the opening tag is in the template, only the closing one is emitted.
    expect(await compressedOf(`reasoning about it…\n</think>\n${clean}`)).toBe(clean);
  });

  test('think = "reject" drops the pair; an unclosed <think> is always rejected', async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, `<think>x</think>${clean}`), { think: "reject" }))).toBe("think_block");
    const unclosed = await run(plugin, pair(ORIGINAL, `${clean}\n<think>wait, maybe`));
    expect(reason(unclosed)).toBe("think_block");
    expect(isReject(unclosed) && unclosed.detail).toContain("unclosed");
  });

  test("removes tool-call blocks, special tokens and wrapper tags", async () => {
    expect(await compressedOf(`<tool_call>{"name":"x"}</tool_call>${clean}<|im_end|>`)).toBe(clean);
    expect(await compressedOf(`<|im_start|>assistant\n<compressed>${clean}</compressed><|endoftext|>`)).toBe(clean);
    expect(await compressedOf(`<output>${clean}</output>`, { unwrap: [] })).toBe(`<output>${clean}</output>`);
  });

  test("unwraps one fence around the whole answer, not fences inside it", async () => {
    expect(await compressedOf("```python\ndef f(): return 1\n```")).toBe("def f(): return 1");
    expect(await compressedOf("```\nfn:f() = 1\n```")).toBe("fn:f() = 1");
    const inner = "text\n```\ncode\n```\nmore";
    expect(await compressedOf(inner)).toBe(inner);
    const two = "```\na\n```\nprose\n```\nb\n```";
    expect(await compressedOf(two)).toBe(two);
    expect(await compressedOf("```\na\n```", { fence: false })).toBe("```\na\n```");
  });

  test("removes echoed labels, but not a label-like word that starts real content", async () => {
    expect(await compressedOf(`Compressed: ${clean}`)).toBe(clean);
    expect(await compressedOf(`**Compressed text:**\n${clean}`)).toBe(clean);
    expect(await compressedOf(`## Output\n${clean}`)).toBe(clean);
    expect(await compressedOf(`output of the bridge study | ${clean}`)).toBe(`output of the bridge study | ${clean}`);
  });

  test("rejects when nothing is left; leaves an answer without artifacts unchanged", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, "<think>all reasoning</think>  ")))).toBe("empty_after_strip");
    expect(reason(await run(plugin, pair(ORIGINAL, "```\n```")))).toBe("empty_after_strip");
    const doc = pair(ORIGINAL, `  ${clean}\n`);
    expect(await run(plugin, doc)).toEqual(doc);
    // A blank answer with nothing stripped is filter/sanitize's to reject (reason `empty`).
    expect(reason(await run(plugin, pair(ORIGINAL, "")))).toBeUndefined();
  });

  test("needs a compressed text", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, undefined)))).toBe("no_compressed");
  });
});
