// Worker-thread entry for loader/code: parses files sent by the pool (see src/text/worker-pool.ts) and posts
// back their units. A compiled binary needs this file as an extra `bun build --compile`
// entrypoint (build/build.ts passes it); without it the pool parses in the main thread.
import { processFile, type FileTask } from "./file.ts";

declare const self: Worker;

self.onmessage = async (event: MessageEvent<{ id: number; task: FileTask }>) => {
  const { id, task } = event.data;
  try {
    postMessage({ id, result: await processFile(task) });
  } catch (e) {
    postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
