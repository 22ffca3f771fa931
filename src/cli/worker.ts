// `ctxc __worker NAME` (hidden): one parser process of src/text/process-pool.ts. It prints a
// hello line, then reads batches of tasks as JSON lines on stdin and answers one JSON line per
// task on stdout, until stdin closes — which is also what happens when the parent dies, so a
// worker never outlives it.
import { defineCommand } from "citty";
import { HELLO, readLines } from "../text/process-pool.ts";

type TaskFunction = (task: never) => Promise<unknown>;

/** Literal imports, so `bun build --compile` bundles them; loaded only in the child that needs one. */
const WORKERS: Record<string, () => Promise<TaskFunction>> = {
  code: () => import("../../plugins/loaders/code/file.ts").then((m) => m.processFile),
  markdown: () => import("../../plugins/loaders/markdown/file.ts").then((m) => m.processMarkdown),
};

/** Answers requests `{"tasks": [[i, task], …]}` with lines `{"i", "ok"}` or `{"i", "error"}`. */
export async function serveTasks(run: (task: unknown) => Promise<unknown>): Promise<void> {
  // Ctrl-C reaches the whole process group; the parent decides when its workers stop.
  process.on("SIGINT", () => {});
  const out = Bun.stdout.writer();
  out.write(`${JSON.stringify({ hello: HELLO })}\n`);
  await out.flush();
  for await (const line of readLines(Bun.stdin.stream())) {
    const { tasks } = JSON.parse(line) as { tasks: [number, unknown][] };
    for (const [i, task] of tasks) {
      let reply: string;
      try {
        reply = JSON.stringify({ i, ok: await run(task) });
      } catch (e) {
        reply = JSON.stringify({ i, error: e instanceof Error ? e.message : String(e) });
      }
      // Each answer leaves at once: if a later task crashes this process, the pool knows which.
      out.write(`${reply}\n`);
      await out.flush();
    }
  }
}

export default defineCommand({
  meta: { name: "__worker", description: "Internal: a parser process for the loaders", hidden: true },
  args: { name: { type: "positional", description: `The task function: ${Object.keys(WORKERS).join(", ")}`, required: true } },
  async run({ args }) {
    const load = WORKERS[args.name];
    if (!load) {
      process.stderr.write(`error: no worker named ${JSON.stringify(args.name)} (known: ${Object.keys(WORKERS).join(", ")})\n`);
      return 2;
    }
    const run = (await load()) as (task: unknown) => Promise<unknown>;
    await serveTasks(run);
    return 0;
  },
});
