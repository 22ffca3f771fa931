// The plugin SDK: what `import { … } from "ctxc"` gives a plugin (built-in or a user's).
// Built-in plugins import only from here, src/llm and src/text — never from src/core or src/cli.
export * from "./types.ts";
export * from "./define.ts";
export { docId, makeDoc, isReject, isRetryable, stableHash } from "./doc.ts";
export * as v from "valibot";
