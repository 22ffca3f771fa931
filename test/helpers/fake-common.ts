// What the fake provider servers share: recorded requests, a queue of faults that the next
// completion calls answer with, and a deterministic "compression" so tests can predict answers.

export type Fault =
  | { kind: "429"; retryAfter?: string; retryAfterMs?: string }
  /** 500 and 529 carry `retry-after-ms: 1` unless told otherwise, so the SDK's retry is quick. */
  | { kind: "500"; retryAfterMs?: string }
  | { kind: "529"; retryAfterMs?: string }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: "hang" }
  /** 200 with a body that is not JSON. */
  | { kind: "malformed" }
  /** 200 with an empty completion. */
  | { kind: "empty" }
  /** 200 with an answer cut off at the output cap (stop_reason max_tokens / finish_reason length). */
  | { kind: "truncated" };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The credential the client sent (either header), to check it is the configured key. */
  auth: string | undefined;
  body: unknown;
}

export interface FakeOptions {
  /** Wait this long before answering a completion. */
  delayMs?: number;
  /** Reject requests whose credential differs (401). */
  expectKey?: string;
  /** Batches end on their first status poll (default), or only when `endBatches()` is called. */
  batchEnd?: "auto" | "manual";
  /** Called for every completion request, before faults and delay (e.g. to kill a client). */
  onCompletion?: (count: number, userText: string) => void;
  /** Called for every request, after it is recorded (e.g. kill a client once it polls a batch). */
  onRequest?: (method: string, path: string) => void;
}

export interface FakeServer {
  /** Base URL as the SDK wants it. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Completion calls answered or faulted, per user text. */
  perInput: Map<string, number>;
  completions: number;
  /** Completion calls that got a normal answer. */
  answered: number;
  inFlight: number;
  maxInFlight: number;
  faults: Fault[];
  /** How many batches were created. */
  batchesCreated: number;
  endBatches(): void;
  stop(): void;
}

/** The fake teacher's answer: short, deterministic, and different per input. */
export function fakeCompress(userText: string): string {
  return `≈${Bun.hash(userText).toString(36)} → dense`;
}

/** The text of the last message (the user's prompt), from a request's `messages`; "" if none. */
export function lastUserText(messages: unknown): string {
  const m: any = Array.isArray(messages) ? messages[messages.length - 1] : undefined;
  return typeof m?.content === "string" ? m.content : "";
}

export function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function credential(req: Request): string | undefined {
  const bearer = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  return bearer ?? req.headers.get("x-api-key") ?? undefined;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function randomId(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fault response for the shared kinds, or undefined for kinds the caller renders itself. */
export function faultResponse(f: Fault, errorBody: (type: string, message: string) => unknown): Response | Promise<Response> | undefined {
  switch (f.kind) {
    case "429": {
      const headers: Record<string, string> = {};
      if (f.retryAfter !== undefined) headers["retry-after"] = f.retryAfter;
      if (f.retryAfterMs !== undefined) headers["retry-after-ms"] = f.retryAfterMs;
      return json(errorBody("rate_limit_error", "rate limited (fake)"), 429, headers);
    }
    case "500":
      return json(errorBody("api_error", "internal error (fake)"), 500, { "retry-after-ms": f.retryAfterMs ?? "1" });
    case "529":
      return json(errorBody("overloaded_error", "overloaded (fake)"), 529, { "retry-after-ms": f.retryAfterMs ?? "1" });
    case "hang":
      return new Promise<Response>(() => {});
    case "malformed":
      return new Response('{"id": "oops", "content": [', { status: 200, headers: { "content-type": "application/json" } });
    default:
      return undefined;
  }
}

type ErrorBody = (type: string, message: string) => unknown;

/**
 * A completion call as both fakes answer it: counted per input, then the next fault if one is
 * queued, else (after the configured delay, counted in flight) `reply` with fakeCompress(user) —
 * or "" for an `empty` fault — and whether a `truncated` fault asks for a cut-off answer.
 */
export async function answerCompletion(
  server: FakeServer,
  opts: FakeOptions,
  user: string,
  errorBody: ErrorBody,
  reply: (text: string, truncated: boolean) => Response,
): Promise<Response> {
  server.completions++;
  server.perInput.set(user, (server.perInput.get(user) ?? 0) + 1);
  opts.onCompletion?.(server.completions, user);
  const fault = server.faults.shift();
  const faulted = fault && faultResponse(fault, errorBody);
  if (faulted) return faulted;
  server.inFlight++;
  server.maxInFlight = Math.max(server.maxInFlight, server.inFlight);
  try {
    if (opts.delayMs) await sleep(opts.delayMs);
  } finally {
    server.inFlight--;
  }
  server.answered++;
  return reply(fault?.kind === "empty" ? "" : fakeCompress(user), fault?.kind === "truncated");
}

/** A Server-Sent Events response: one `event:`/`data:` block per entry (OpenAI sends data only). */
export function sse(events: Array<{ event?: string; data: unknown }>): Response {
  const text = events.map((e) => `${e.event ? `event: ${e.event}\n` : ""}data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`).join("");
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

/** The fake answer in two pieces, as a streamed answer arrives (the second may be empty). */
export function halves(text: string): string[] {
  const cut = Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)].filter(Boolean);
}
