// `ctxc run` imports the user's plugin files, and a plugin can block the main thread (a busy loop
// at import or in filter()). Its graceful Ctrl-C handler is JavaScript, and once a handler is
// installed Bun catches SIGINT/SIGTERM natively and queues them for a thread that never comes
// back, so neither Ctrl-C nor `kill` can stop the process (only SIGKILL can). No in-process
// mechanism fixes this — a Worker could not share the plugin's context, and the handler is the
// very thing that is blocked.
//
// So `run` runs in a child process, and this parent — which runs no plugin code and
// so always stays responsive — owns the signals:
// - The first SIGINT or SIGTERM is passed on to the child, which stops gracefully (finishes calls
//   in flight, saves, exits 130). SIGINT is passed as SIGUSR2: a Ctrl-C from a terminal reaches
//   the whole process group, child included, and the child must count it once — so a supervised
//   child ignores SIGINT itself and takes SIGUSR2 as its interrupt. A `kill -INT` aimed at this
//   process alone works the same way.
// - A second signal ends the child (SIGKILL, which nothing can block) and this process exits 130
//   (143 for SIGTERM), whatever the child was doing.
// The child stays in the terminal's process group, so what it starts (parser processes, Python)
// sees Ctrl-C as before. The exit code, stdout and stderr are the child's (the streams are
// inherited, not copied). A workspace lock held by a killed child is released by the kernel
// (src/core/lock.ts), and its half-written stage is `running` in the manifest.
import { constants } from "node:os";
import { selfCommand } from "../text/process-pool.ts";

/** Set in the child, so it runs the command itself instead of supervising again. */
export const SUPERVISED_ENV = "CTXC_SUPERVISED";

/** What a supervised child receives for Ctrl-C (see above). */
const FORWARDED_INTERRUPT = "SIGUSR2";

/** The signal that means "Ctrl-C" to this process: SIGUSR2 under a supervisor, else SIGINT. */
export function interruptSignal(): NodeJS.Signals {
  return process.env[SUPERVISED_ENV] === "1" ? FORWARDED_INTERRUPT : "SIGINT";
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export async function supervise(argv: string[]): Promise<number> {
  const child = Bun.spawn(selfCommand(...argv), {
    stdio: ["inherit", "inherit", "inherit"],
    env: { ...process.env, [SUPERVISED_ENV]: "1" },
  });
  let received = 0;
  let first: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      first = signal;
      child.kill(signal === "SIGINT" ? FORWARDED_INTERRUPT : signal);
      return;
    }
    child.kill("SIGKILL");
    process.stderr.write(`\nctxc: stopped at once (${signal} received twice); finished stages are kept, the next run resumes\n`);
    // SIGKILL cannot be caught or blocked: the child is gone as soon as it is reaped.
    void child.exited.then(() => process.exit(SIGNAL_EXIT[signal] ?? 130));
  };
  for (const s of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(s, onSignal);
  const code = await child.exited;
  // A child ended by the signal we passed on (one with no handler: `validate`) ends as that signal would.
  if (child.signalCode) return SIGNAL_EXIT[first ?? child.signalCode] ?? 128 + (constants.signals[child.signalCode as NodeJS.Signals] ?? 9);
  return code;
}
