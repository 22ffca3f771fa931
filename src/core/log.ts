// The one consola instance. Every stage gets a child tagged with its label, so each line says
// which stage and plugin wrote it. Logs go to stderr; stdout is kept for results (--json).
import { createConsola, type ConsolaInstance } from "consola";

export const log: ConsolaInstance = createConsola({
  level: 3,
  stdout: process.stderr,
  stderr: process.stderr,
  formatOptions: { date: false, compact: true },
});

export type Verbosity = "quiet" | "normal" | "verbose";

/** quiet: warnings and errors only; verbose: debug lines and stack traces too. */
export function setVerbosity(v: Verbosity): void {
  log.level = v === "quiet" ? 1 : v === "verbose" ? 4 : 3;
}

export function isVerbose(): boolean {
  return log.level >= 4;
}
