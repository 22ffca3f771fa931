// The ctxc command line. Sub-commands, and the error reporter (which loads consola), load lazily,
// so `ctxc --version` and the `ctxc __worker` parser processes import almost nothing.
import { isMainThread } from "node:worker_threads";
import { defineCommand, runCommand, type CommandDef } from "citty";
import { pendingWork } from "../core/stall.ts";
import { fitToWidth, helpWidth, renderHelp } from "./usage.ts";
import { guardStdio } from "./streams.ts";
import { versionLine } from "./version.ts";

interface CommandModule {
  default: CommandDef<any>;
  examples?: string[];
}

/** One line per command: its module, loaded only when used (literal imports, so they bundle). */
export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  run: () => import("./run.ts"),
  validate: () => import("./validate.ts"),
  plugins: () => import("./plugins.ts"),
  plugin: () => import("./plugin-new.ts"),
  init: () => import("./init.ts"),
  doctor: () => import("./doctor.ts"),
  inspect: () => import("./inspect.ts"),
  tokens: () => import("./tokens.ts"),
  compress: () => import("./compress.ts"),
  cache: () => import("./cache.ts"),
  costs: () => import("./costs.ts"),
  batches: () => import("./batches.ts"),
  eval: () => import("./eval.ts"),
  report: () => import("./report.ts"),
  runs: () => import("./runs.ts"),
  serve: () => import("./serve.ts"),
  __worker: () => import("./worker.ts"), // hidden: a parser process of src/text/process-pool.ts
};

const main = defineCommand({
  meta: {
    name: "ctxc",
    description: "Build context-compression models: corpus → teacher pairs → validated dataset → LoRA student.",
  },
  subCommands: Object.fromEntries(Object.entries(COMMANDS).map(([name, load]) => [name, () => load().then((m) => m.default)])),
});

const MAIN_EXAMPLES = [
  "ctxc init                        write a commented pipeline.toml",
  "ctxc validate pipeline.toml      check it without running anything",
  "ctxc run pipeline.toml           run it (re-runs skip unchanged stages)",
  "ctxc plugins                     built-in plugins and their options",
  "ctxc compress notes.md           compress text with the embedded student (offline)",
  "ctxc <command> --help            options and examples of a command",
];

async function showHelp(argv: string[]): Promise<void> {
  const name = argv.find((a) => !a.startsWith("-"));
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    await printUsage(main);
    printExamples(MAIN_EXAMPLES);
    return;
  }
  const mod = await load();
  // `ctxc runs show --help`: the sub-command's usage (citty resolves subCommands lazily).
  const subName = argv.filter((a) => !a.startsWith("-"))[1];
  const subs = mod.default.subCommands as Record<string, () => Promise<CommandDef<any>>> | undefined;
  if (subName && subs && typeof subs[subName] === "function") {
    await printUsage(await subs[subName]!(), mod.default);
    return;
  }
  await printUsage(mod.default, main);
  if (mod.examples) printExamples(mod.examples);
}

/** citty's usage without its padding, wrapped to the terminal (usage.ts). */
async function printUsage(cmd: CommandDef<any>, parent?: CommandDef<any>): Promise<void> {
  process.stdout.write(`${await renderHelp(cmd, parent)}\n\n`);
}

function printExamples(lines: string[]): void {
  process.stdout.write(`EXAMPLES\n\n${fitToWidth(lines.map((l) => `  ${l}`).join("\n"), helpWidth())}\n\n`);
}

export async function cli(argv: string[]): Promise<number> {
  try {
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
      process.stdout.write(`${versionLine()}\n`);
      return 0;
    }
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      await showHelp(argv);
      return 0;
    }
    if (!(argv[0]! in COMMANDS)) {
      const { didYouMean } = await import("../text/suggest.ts");
      process.stderr.write(`error: unknown command \`${argv[0]}\`\n  hint: ${didYouMean(argv[0]!, Object.keys(COMMANDS)) ?? "run `ctxc --help` for the list of commands"}\n`);
      return 2;
    }
    // Run the sub-command directly: citty's nested runCommand drops its return value (our exit code).
    const mod = await COMMANDS[argv[0]!]!();
    const { checkArgv } = await import("./strict-args.ts");
    await checkArgv(mod.default, argv.slice(1), `ctxc ${argv[0]}`);
    const { result } = await runCommand(mod.default, { rawArgs: argv.slice(1) });
    return typeof result === "number" ? result : 0;
  } catch (e) {
    if ((e as { code?: string }).code === "EARG" || (e as Error).name === "CLIError") {
      process.stderr.write(`error: ${(e as Error).message}\n  hint: run \`ctxc ${argv[0] ?? ""} --help\` for usage\n`);
      return 2;
    }
    const { reportError } = await import("./_shared.ts");
    return reportError(e);
  }
}

/**
 * `run` runs under a supervisor process (see supervise.ts): its graceful Ctrl-C handler is a
 * JavaScript one, which a plugin blocking the thread would block too. `validate` imports plugins
 * as well but installs no signal handler, so the kernel's default action ends it on the first
 * Ctrl-C or SIGTERM whatever a plugin does — it needs no supervisor (and keeps its ~20 ms start).
 */
const SUPERVISED = new Set(["run"]);

/**
 * Run a command and set the exit code from what it returned — and from nothing else: should the
 * process run out of work while the command is still pending (something awaited that can never
 * settle and that src/core/stall.ts does not watch), Bun would exit 0 as if all went well. The
 * 'beforeExit' backstop reports it and exits 1 instead; with --json it still prints one object.
 */
export function runToCompletion(argv: string[], command: (argv: string[]) => Promise<number> = cli): void {
  let finished = false;
  process.on("beforeExit", () => {
    if (finished) return;
    // Guarded plugin work is failed by stall.ts's own listener, and the command then finishes.
    if (pendingWork().length > 0) return;
    finished = true;
    const error = "ctxc stopped before finishing: it was waiting for something that can no longer happen";
    const hint = "this looks like a bug in ctxc (or in a plugin); run again with --verbose and report it";
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify({ status: "failed", ...(argv[0] === "validate" ? { valid: false } : {}), error, hint, problems: [{ message: error, hint }] }, null, 2)}\n`);
    process.stderr.write(`error: ${error}\n  hint: ${hint}\n`);
    process.exitCode = 1;
  });
  command(argv).then((code) => {
    finished = true;
    process.exitCode = code;
  });
}

// A worker thread of the compiled binary (its entry module is this one) runs its task, not the
// command line: the dataset step's keys, signatures and token counts (src/core/row-features-worker.ts).
if (!isMainThread) import("../core/row-features-worker.ts");
else if (import.meta.main) {
  guardStdio();
  const argv = process.argv.slice(2);
  if (SUPERVISED.has(argv[0] ?? "") && !argv.includes("--help") && !argv.includes("-h") && process.env.CTXC_SUPERVISED !== "1") {
    import("./supervise.ts").then((m) => m.supervise(argv)).then((code) => {
      process.exitCode = code;
    });
  } else {
    // A supervised child leaves the terminal's Ctrl-C to its supervisor, which passes it on as
    // SIGUSR2 (see supervise.ts); installed first thing, so no Ctrl-C finds it unprotected.
    if (process.env.CTXC_SUPERVISED === "1") process.on("SIGINT", () => {});
    runToCompletion(argv);
  }
}
