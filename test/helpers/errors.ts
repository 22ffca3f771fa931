import type { CtxcError } from "../../src/core/errors.ts";

/** The error `fn` throws (the test fails if it throws none). */
export function errorOf(fn: () => unknown): CtxcError {
  try {
    fn();
  } catch (e) {
    return e as CtxcError;
  }
  throw new Error("expected an error");
}
