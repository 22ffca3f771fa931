// Pieces every command shares: the --quiet/--verbose flags, and turning an error into the
// one-paragraph message and exit code a user sees (stack traces only under --verbose).
import { ConfigError, CtxcError, EXIT, type Problem } from "../core/errors.ts";
import { existsSync } from "node:fs";
import { isVerbose, log, setVerbosity } from "../core/log.ts";
import { nearest } from "../text/suggest.ts";
import { isUserError } from "../text/user-error.ts";

export const verbosityArgs = {
  quiet: { type: "boolean", alias: "q", description: "Only warnings and errors" },
  verbose: { type: "boolean", description: "Debug lines, skipped files and stack traces" },
} as const;

export function applyVerbosity(args: { quiet?: boolean; verbose?: boolean }): void {
  setVerbosity(args.verbose ? "verbose" : args.quiet ? "quiet" : "normal");
}

const BUG_HINT = "this looks like a bug in ctxc; run again with --verbose for the stack trace and report it";

/**
 * Errors by code that are the user's situation (the message names the path or database), not bugs
 * in ctxc: file-system errors, and SQLite's for the workspace database.
 */
const SITUATION_HINTS: Record<string, string> = {
  ENOENT: "the file or folder does not exist; check the path",
  EACCES: "permission denied; check the path's permissions or choose another folder",
  EPERM: "operation not permitted; check the path's permissions or choose another folder",
  EISDIR: "a folder is in the way of a file; remove or rename it, or choose another path",
  ENOTDIR: "a file is in the way of a folder; remove or rename it, or choose another path",
  EROFS: "the file system is read-only; choose another folder",
  ENOSPC: "the disk is full; free some space and run again (finished work is kept)",
  EEXIST: "something already exists at that path; remove or rename it, or choose another path",
  ELOOP: "a symbolic link loop: a link points, through others, back to itself; fix or remove it",
  ENAMETOOLONG: "the path is too long; choose a shorter one",
  EMFILE: "too many open files; raise the limit (ulimit -n) or lower `concurrency`",
  ENFILE: "too many open files on this system; close some programs or lower `concurrency`",
  SQLITE_BUSY: "the workspace database (ctxc.sqlite) is locked by another process (another ctxc run, or a program that has it open); wait for it to finish, or use another --out",
  SQLITE_LOCKED: "the workspace database (ctxc.sqlite) is locked by another process; wait for it to finish, or use another --out",
  SQLITE_READONLY: "the workspace database (ctxc.sqlite) is read-only; check its permissions or use another --out",
  SQLITE_CANTOPEN: "the workspace database (ctxc.sqlite) cannot be opened; check that the folder exists and is writable",
  SQLITE_FULL: "the disk is full; free some space and run again (finished work is kept)",
  SQLITE_CORRUPT: "the workspace database (ctxc.sqlite) is damaged; move it away to start a fresh cache (cached answers are lost)",
  SQLITE_NOTADB: "ctxc.sqlite in the workspace is not a SQLite database; move it away, or use another --out",
};

/** The code an error carries: Node's (`ENOENT`), or SQLite's (`SQLITE_BUSY_SNAPSHOT` -> `SQLITE_BUSY`). */
function codeOf(error: unknown): string {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return code.startsWith("SQLITE_") ? (code.match(/^SQLITE_[A-Z]+/)?.[0] ?? code) : code;
}

/** The hint shown for an error: its own, one for its code (the user's situation), or "this is a bug". */
function hintOf(error: unknown): string | undefined {
  if (error instanceof CtxcError || isUserError(error)) return error.hint;
  return SITUATION_HINTS[codeOf(error)] ?? BUG_HINT;
}

/** The exit code for an error: a CtxcError or user error carries its own; anything else is 1. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CtxcError || isUserError(error) ? error.exitCode : EXIT.failed;
}

export interface ErrorJson {
  error: string;
  hint?: string;
  /** Every problem found in a pipeline file (a ConfigError), else the error as one problem. */
  problems: Problem[] | Array<{ message: string; hint?: string }>;
}

/** An error as the `--json` output of a command reports it. */
export function errorJson(error: unknown): ErrorJson {
  const message = error instanceof Error ? error.message : String(error);
  const hint = hintOf(error);
  return { error: message, hint, problems: error instanceof ConfigError ? error.problems : [{ message, hint }] };
}

/** Print an error for a person and return the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CtxcError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    if (isVerbose() && error.cause instanceof Error && error.cause.stack) process.stderr.write(`${error.cause.stack}\n`);
    return exitCodeOf(error);
  }
  const e = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`error: ${e.message}\n`);
  process.stderr.write(`  hint: ${hintOf(error)}\n`);
  if (isVerbose()) process.stderr.write(`${e.stack}\n`);
  return exitCodeOf(error);
}

/**
 * The optional action word that starts `ctxc cache|batches [ACTION] [PIPELINE]`: the first word
 * when it is one of `actions`, else `fallback`. A first word that is no action and no file, close
 * to an action, followed by more words or not ending in .toml, is a mistyped action.
 */
export function takeAction(words: string[], actions: string[], fallback: string, command: string): string {
  if (words[0] !== undefined && actions.includes(words[0])) return words.shift()!;
  const word = words[0];
  if (word !== undefined && !existsSync(word) && (words.length > 1 || nearest(word, actions) || !word.endsWith(".toml"))) {
    const guess = nearest(word, actions);
    throw new CtxcError(`\`${command}\` has no action "${word}" (and no pipeline file is called so)`, { hint: guess ? `did you mean \`${command} ${guess}\`?` : `the actions are ${actions.join(", ")}`, exitCode: EXIT.invalid });
  }
  return fallback;
}

export { log };
