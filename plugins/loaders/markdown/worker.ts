// Worker-thread entry for loader/markdown (see src/text/worker-pool.ts). A compiled binary needs this
// file as an extra `bun build --compile` entrypoint; without it parsing runs in the main thread.
import { processMarkdown, type MarkdownTask } from "./file.ts";

declare const self: Worker;

self.onmessage = async (event: MessageEvent<{ id: number; task: MarkdownTask }>) => {
  const { id, task } = event.data;
  try {
    postMessage({ id, result: await processMarkdown(task) });
  } catch (e) {
    postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
