// Helper processes for test/text/process-pool.test.ts.
//   bun _process-pool-fixture.ts child    a pool worker (the real serve loop) whose tasks say
//                                         what to do: echo, fail, crash, crash once, block
//   bun _process-pool-fixture.ts parent   runs a pool of two such children, prints their pids,
//                                         then waits forever (the test kills it)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { serveTasks } from "../../src/cli/worker.ts";
import { mapOrdered } from "../../src/text/process-pool.ts";

export type FixtureTask =
  | { echo: unknown }
  | { fail: string }
  | { exit: number }
  | { crashOnce: string; value: unknown }
  | { pid: true }
  | { block: string };

export const CHILD = [process.execPath, import.meta.path, "child"];

/** What a task does; the pool tests also pass this as `inProcess`, minus the crashes. */
export async function runTask(task: FixtureTask): Promise<unknown> {
  if ("echo" in task) return task.echo;
  if ("fail" in task) throw new Error(task.fail);
  if ("pid" in task) return process.pid;
  if ("block" in task) return readFileSync(task.block, "utf8"); // a FIFO: blocks until written
  if ("exit" in task) process.exit(task.exit);
  if (existsSync(task.crashOnce)) return task.value;
  writeFileSync(task.crashOnce, "crashed once");
  process.kill(process.pid, "SIGKILL");
  return undefined;
}

if (import.meta.main && process.argv[2] === "child") {
  await serveTasks((task) => runTask(task as FixtureTask));
} else if (import.meta.main && process.argv[2] === "parent") {
  // Four tasks, two per child; pull until both children have answered, then stop pulling.
  const tasks: FixtureTask[] = [{ pid: true }, { pid: true }, { pid: true }, { pid: true }];
  const held = mapOrdered(tasks, { worker: "fixture", parallel: 2, inProcess: runTask, command: CHILD });
  const seen = new Set<unknown>();
  while (seen.size < 2) {
    const r = await held.next();
    if (r.done) break;
    if ("ok" in r.value) seen.add(r.value.ok);
  }
  console.log(JSON.stringify([...seen]));
  setInterval(() => {}, 60_000); // stay alive until killed
}
