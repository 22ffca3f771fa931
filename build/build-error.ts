/** A build failure whose message is complete for the user: printed without a stack trace. */
export class BuildError extends Error {
  override name = "BuildError";
}
