// Binding `ctxc serve`: loopback by default; any other address only with a bearer token (the API
// would otherwise let anyone on the network spend this machine's model); a port in use is a
// clear error, not a stack trace.
import { CtxcError, EXIT } from "../core/errors.ts";
import { isLoopback } from "../llm/model-name.ts";
import type { ServeApp, ServeLimits } from "./app.ts";

export interface ListenOptions {
  host: string;
  port: number;
  token?: string;
  limits: ServeLimits;
  /** SO_REUSEPORT, for `--workers`: several processes accept on one port (Linux balances them). */
  reusePort?: boolean;
}

export function isLoopbackHost(host: string): boolean {
  return isLoopback(`http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}`);
}

/** Refuses a non-loopback host without a token; returns nothing when the binding is allowed. */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    throw new CtxcError(`refusing to serve on ${host} without a token: anyone who can reach it could use the model`, {
      hint: "set a secret in an environment variable and pass its name: CTXC_TOKEN=$(openssl rand -hex 16) ctxc serve --host 0.0.0.0 --token-env CTXC_TOKEN",
      exitCode: EXIT.invalid,
    });
  }
}

export function listen(app: ServeApp, o: ListenOptions): ReturnType<typeof Bun.serve> {
  checkBinding(o.host, o.token);
  try {
    return Bun.serve({
      hostname: o.host,
      port: o.port,
      // Bun's own cap stops a huge body before it is read; the app answers 413 with a message
      // for anything between its limit and this one.
      maxRequestBodySize: o.limits.maxBodyBytes + 64 * 1024,
      idleTimeout: 255,
      reusePort: o.reusePort ?? false,
      fetch: app.fetch,
      error: (e) => Response.json({ error: `internal error: ${e.message}` }, { status: 500 }),
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "EADDRINUSE" || /in use/i.test((e as Error).message)) {
      throw new CtxcError(`port ${o.port} on ${o.host} is in use`, { hint: "stop the other server, pick another --port, or --port 0 for any free port", exitCode: EXIT.invalid });
    }
    if (code === "EADDRNOTAVAIL" || code === "EACCES") {
      throw new CtxcError(`cannot listen on ${o.host}:${o.port} (${code})`, { hint: code === "EACCES" ? "ports below 1024 need privileges; pick a higher --port" : "--host must be an address of this machine (127.0.0.1, ::1, 0.0.0.0, …)", exitCode: EXIT.invalid });
    }
    throw e;
  }
}
