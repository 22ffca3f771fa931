// Pieces every command shares: the --quiet/--verbose flags, and turning an error into the
// one-paragraph message and exit code a user sees (stack traces only under --verbose).
import { CtxcError, EXIT } from "../core/errors.ts";
import { isVerbose, log, setVerbosity } from "../core/log.ts";

export const verbosityArgs = {
  quiet: { type: "boolean", alias: "q", description: "Only warnings and errors" },
  verbose: { type: "boolean", description: "Debug lines, skipped files and stack traces" },
} as const;

export function applyVerbosity(args: { quiet?: boolean; verbose?: boolean }): void {
  setVerbosity(args.verbose ? "verbose" : args.quiet ? "quiet" : "normal");
}

/** Print an error for a person and return the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CtxcError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    if (isVerbose() && error.cause instanceof Error && error.cause.stack) process.stderr.write(`${error.cause.stack}\n`);
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`error: ${e.message}\n`);
  if (isVerbose()) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write("  hint: this looks like a bug in ctxc; run again with --verbose for the stack trace and report it\n");
  return EXIT.failed;
}

export { log };
