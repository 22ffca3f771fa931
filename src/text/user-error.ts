// An error that is the user's situation, not a bug in ctxc: a glob that matches nothing, a file
// that is not text, a model name that does not parse. Code that may not import src/core (plugins,
// src/text, src/llm) throws these; the CLI reports any error carrying a `hint` like a CtxcError —
// message, hint, exit code — instead of "this looks like a bug in ctxc".

export interface UserError extends Error {
  hint: string;
  exitCode: number;
}

/** Exit code 2 (EXIT.invalid in src/core/errors.ts): the input or the files need fixing. */
export function userError(message: string, hint: string, exitCode = 2): UserError {
  return Object.assign(new Error(message), { name: "UserError", hint, exitCode });
}

/** Any error with a hint of its own (a CtxcError, or one made by `userError`). */
export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && typeof (e as Partial<UserError>).hint === "string";
}
