// describeError: what reaches logs and rejected.jsonl never carries a key or a fragment of one.
import { expect, test } from "bun:test";
import { describeError, maskKeys, teacherError } from "../../src/llm/errors.ts";

test("key-like substrings are masked, including the masked forms providers quote back", () => {
  expect(maskKeys("Incorrect API key provided: sk-proj-********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.")).toBe(
    "Incorrect API key provided: [key]. You can find your API key at https://platform.openai.com/account/api-keys.",
  );
  expect(maskKeys("Incorrect API key provided: sk-proj-****…abcd")).toBe("Incorrect API key provided: [key]");
  expect(maskKeys("bad key sk-ant-api03-AbC_dEf-123 here")).toBe("bad key [key] here");
  // Words that merely contain "sk-" are not keys.
  expect(maskKeys("task-queue and disk-space, sk-ab")).toBe("task-queue and disk-space, sk-ab");
});

test("describeError masks keys in SDK errors, with or without an HTTP status", () => {
  const http = Object.assign(new Error("401 Incorrect API key provided: sk-live-********1234."), { status: 401 });
  expect(describeError(http)).toBe("HTTP 401: 401 Incorrect API key provided: [key].");
  expect(describeError(new TypeError("fetch failed for sk-ant-secretsecret"))).toBe("TypeError: fetch failed for [key]");
  expect(describeError("sk-plain-string-key")).toBe("[key]");
  expect(teacherError(`m failed: ${describeError(http)}`).message).not.toContain("1234");
});
