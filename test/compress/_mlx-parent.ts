// A parent process for the no-orphan tests: opens the mlx compressor on a run folder, prints the
// server's pid as one JSON line, then waits to be killed (the test sends SIGKILL or SIGTERM).
import { openCompressor } from "../../src/compress/open.ts";

const run = process.argv[2]!;
const c = (await openCompressor(run, { root: process.cwd() })) as { server?: { pid: number } };
process.stdout.write(`${JSON.stringify({ pid: c.server!.pid })}\n`);
setInterval(() => {}, 1 << 30);
