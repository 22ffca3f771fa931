import { afterAll, expect, test } from "bun:test";
import { runCommand } from "citty";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import batches from "../../src/cli/batches.ts";
import { Store } from "../../src/core/store.ts";
import { captureStdout } from "../helpers/cli.ts";
import { startFakeAnthropic } from "../helpers/fake-anthropic.ts";

const capture = async (fn: () => Promise<unknown>) => (await captureStdout(fn)).out;

const KEY = "sk-ant-batches-cli-test";
process.env.ANTHROPIC_API_KEY = KEY;
const server = startFakeAnthropic({ expectKey: KEY, batchEnd: "manual" });
afterAll(() => server.stop());

async function workspaceWithBatch(): Promise<{ out: string; id: string }> {
  const out = mkdtempSync(join(tmpdir(), "ctxc-batches-"));
  // Submit a real batch to the fake, then record it as the collector does.
  const res = await fetch(`${server.url}/v1/messages/batches`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEY },
    body: JSON.stringify({ requests: [{ custom_id: "k1", params: { model: "claude-haiku-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] } }] }),
  });
  const { id } = (await res.json()) as { id: string };
  const store = new Store(join(out, "ctxc.sqlite"));
  store.state().set("batches", id, {
    id, model: "anthropic:claude-haiku-4-5", provider: "anthropic", baseURL: server.url, stage: "02-generator-compress",
    submittedAt: Date.UTC(2026, 10, 24), status: "submitted", requests: 1, items: { k1: "cachekey1" },
  });
  store.close();
  return { out, id };
}

test("list shows the workspace's batches; --refresh asks the provider", async () => {
  const { out, id } = await workspaceWithBatch();
  const text = await capture(() => runCommand(batches, { rawArgs: ["--out", out] }));
  expect(text).toContain(id);
  expect(text).toContain("submitted");
  expect(text).toContain("anthropic:claude-haiku-4-5");
  const json = JSON.parse(await capture(() => runCommand(batches, { rawArgs: ["list", "--out", out, "--refresh", "--json"] })));
  expect(json[0]).toMatchObject({ id, counts: { processing: 1 } });
  expect(json[0].items).toBeUndefined();
});

test("cancel asks the provider and marks the record; unknown ids are a clear error", async () => {
  const { out, id } = await workspaceWithBatch();
  expect(await capture(() => runCommand(batches, { rawArgs: ["cancel", id, "--out", out] }))).toContain(`cancel requested for ${id}`);
  expect(server.requests.some((r) => r.method === "POST" && r.path === `/v1/messages/batches/${id}/cancel`)).toBe(true);
  expect(await capture(() => runCommand(batches, { rawArgs: ["--out", out] }))).toContain("(cancel requested)");
  await expect(runCommand(batches, { rawArgs: ["cancel", "msgbatch_nope", "--out", out] })).rejects.toThrow(`no batch msgbatch_nope in this workspace; known: ${id}`);
  await expect(runCommand(batches, { rawArgs: ["cancel", "--out", out] })).rejects.toThrow("which batch?");
});
