// `ctxc run` and `ctxc validate` import the user's plugin files, and a plugin can block the main
// thread (a busy loop at import or in filter()). JavaScript signal handlers then never run: Bun
// catches SIGINT/SIGTERM natively and queues them for a thread that never comes back, so neither
// Ctrl-C nor `kill` can stop the process (only SIGKILL can). No in-process mechanism fixes this —
// a Worker could not share the plugin's context, and a handler installed with process.on is the
// very thing that is blocked.
//
// So these two commands run in a child process, and this parent — which runs no plugin code and
// so always stays responsive — watches signals:
// - Ctrl-C reaches the whole foreground process group, so the child sees it too and stops
//   gracefully (finishes calls in flight, saves, exits 130). A second Ctrl-C makes this parent
//   end the child (SIGKILL) and exit 130, whatever the child is doing.
// - SIGTERM (sent to this process alone, e.g. by `kill`, systemd or docker) is passed to the child
//   (graceful stop); a second SIGTERM, or Ctrl-C after it, ends the child and exits 143 / 130.
// The exit code, stdout and stderr are the child's (the streams are inherited, not copied). A
// workspace lock held by a killed child is released by the kernel (src/core/lock.ts).
import { selfCommand } from "../text/process-pool.ts";

/** Set in the child, so it runs the command itself instead of supervising again. */
export const SUPERVISED_ENV = "CTXC_SUPERVISED";

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export async function supervise(argv: string[]): Promise<number> {
  const child = Bun.spawn(selfCommand(...argv), {
    stdio: ["inherit", "inherit", "inherit"],
    env: { ...process.env, [SUPERVISED_ENV]: "1" },
  });
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      // SIGINT from a terminal already reached the child (same process group); forwarding it
      // would count as a second Ctrl-C there. Other signals were sent to this process alone.
      if (signal !== "SIGINT") child.kill(signal);
      return;
    }
    child.kill("SIGKILL");
    process.stderr.write(`\nctxc: stopped at once (${signal} received twice); finished stages are kept, the next run resumes\n`);
    // SIGKILL cannot be caught or blocked: the child is gone as soon as it is reaped.
    void child.exited.then(() => process.exit(SIGNAL_EXIT[signal] ?? 130));
  };
  for (const s of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(s, onSignal);
  const code = await child.exited;
  if (child.signalCode) return SIGNAL_EXIT[child.signalCode] ?? 128 + 9;
  return code;
}
