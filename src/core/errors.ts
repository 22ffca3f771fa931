// Errors a user sees. Each carries what went wrong and where (message), how to fix it (hint),
// and the exit code; the CLI prints them as one paragraph, with a stack only under --verbose.

export const EXIT = { ok: 0, failed: 1, invalid: 2, budget: 3, interrupted: 130 } as const;

export class CtxcError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "CtxcError";
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? EXIT.failed;
  }
}

/** One problem found in a pipeline file; `validate` collects them all before reporting. */
export interface Problem {
  /** `pipeline.toml:12:5` or `pipeline.toml` */
  where: string;
  /** `stage 3 (filter/ratio)` when the problem belongs to a stage. */
  stage?: string;
  key?: string;
  message: string;
  hint?: string;
}

export class ConfigError extends CtxcError {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n\n"), { exitCode: EXIT.invalid });
    this.name = "ConfigError";
  }
}

export function formatProblem(p: Problem): string {
  const head = [p.where, p.stage, p.key ? `option \`${p.key}\`` : undefined].filter(Boolean).join(": ");
  return `${head}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ""}`;
}
