// A stage that names its own key variable (`api_key_env = "MY_TEAM_KEY"`) makes that variable's
// value a secret the redactor removes everywhere, whatever the variable is called.
import { afterEach, expect, test } from "bun:test";
import { readPipelineFile } from "../../src/core/config.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { redact, resetSecrets } from "../../src/text/redact.ts";
import { workspace } from "../helpers/cli.ts";

afterEach(() => resetSecrets());

test("buildPlan learns the values of the variables a stage's *_env options name", async () => {
  const dir = await workspace({
    "d.jsonl": '{"text":"x"}\n',
    "plugins/teacher.ts": [
      'import { defineGenerator, v } from "ctxc";',
      "export default defineGenerator({",
      '  name: "generator/team-teacher", version: "1",',
      "  options: v.object({ api_key_env: v.string(), auth: v.optional(v.object({ token_env: v.string() })) }),",
      "  generate: (doc) => doc,",
      "});",
    ].join("\n"),
    "pipeline.toml": 'name = "s"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["d.jsonl"]\n[[stages]]\nuse = "./plugins/teacher.ts"\napi_key_env = "MY_TEAM_KEY"\nauth = { token_env = "TEAM_GATEWAY" }\n',
  });
  const env = { MY_TEAM_KEY: "team-key-value-0001", TEAM_GATEWAY: "gateway-credential-42" };
  expect(redact("team-key-value-0001 gateway-credential-42")).toBe("team-key-value-0001 gateway-credential-42");
  await buildPlan(await readPipelineFile(`${dir}/pipeline.toml`), env);
  expect(redact("key team-key-value-0001, gateway gateway-credential-42")).toBe("key [redacted], gateway [redacted]");
});
