// A local stand-in for the Anthropic API on 127.0.0.1: Messages (POST /v1/messages) and Message
// Batches (create, retrieve, results as JSONL, cancel), in the documented wire format, with
// injectable faults. Accepts the key as `authorization: Bearer` (SDK 1.13) or `x-api-key`.
import {
  answerCompletion, credential, fakeCompress, halves, json, lastUserText, randomId, roughTokens, sse,
  type FakeOptions, type FakeServer,
} from "./fake-common.ts";

interface Batch {
  id: string;
  created: string;
  status: "in_progress" | "canceling" | "ended";
  requests: Array<{ custom_id: string; params: any }>;
  canceled: boolean;
}

const errorBody = (type: string, message: string) => ({ type: "error", error: { type, message } });

function message(model: string, user: string, text: string, truncated = false) {
  return {
    id: randomId("msg_"), type: "message", role: "assistant", model,
    content: text ? [{ type: "text", text }] : [],
    stop_reason: truncated ? "max_tokens" : "end_turn", stop_sequence: null,
    usage: { input_tokens: roughTokens(user), output_tokens: roughTokens(text), cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  };
}

/** `stream: true`: the Messages streaming events, text in two deltas. */
function streamed(model: string, user: string, text: string, truncated: boolean): Response {
  const done = message(model, user, text, truncated);
  return sse([
    { event: "message_start", data: { type: "message_start", message: { ...done, content: [], stop_reason: null, usage: { ...done.usage, output_tokens: 1 } } } },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
    ...halves(text).map((piece) => ({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } } })),
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: done.stop_reason, stop_sequence: null }, usage: { output_tokens: done.usage.output_tokens } } },
    { event: "message_stop", data: { type: "message_stop" } },
  ]);
}

export function startFakeAnthropic(opts: FakeOptions = {}): FakeServer {
  const batches = new Map<string, Batch>();
  let endAll = opts.batchEnd !== "manual";

  const batchView = (b: Batch, base: string) => {
    const n = b.requests.length;
    const ended = b.status === "ended";
    return {
      id: b.id, type: "message_batch", processing_status: b.status,
      request_counts: {
        processing: ended ? 0 : n, succeeded: ended && !b.canceled ? n : 0, errored: 0,
        canceled: ended && b.canceled ? n : 0, expired: 0,
      },
      created_at: b.created, expires_at: b.created, archived_at: null, cancel_initiated_at: b.canceled ? b.created : null,
      ended_at: ended ? new Date().toISOString() : null,
      results_url: ended ? `${base}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const server: FakeServer = {
    url: "", port: 0, requests: [], perInput: new Map(), completions: 0, answered: 0, inFlight: 0, maxInFlight: 0,
    faults: [], batchesCreated: 0,
    endBatches: () => {
      endAll = true;
      for (const b of batches.values()) if (b.status !== "ended") b.status = "ended";
    },
    stop: () => http.stop(true),
  };

  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const base = `${url.protocol}//${url.host}`;
      const body: any = req.method === "POST" ? await req.json().catch(() => null) : null;
      const auth = credential(req);
      server.requests.push({ method: req.method, path: url.pathname, auth, body });
      opts.onRequest?.(req.method, url.pathname);
      if (opts.expectKey !== undefined && auth !== opts.expectKey) {
        return json(errorBody("authentication_error", "invalid x-api-key"), 401);
      }
      if (req.method === "POST" && url.pathname === "/v1/messages") {
        const user = lastUserText(body?.messages);
        return answerCompletion(server, opts, user, errorBody, (text, truncated) => (body.stream ? streamed(body.model, user, text, truncated) : json(message(body.model, user, text, truncated))));
      }
      if (req.method === "POST" && url.pathname === "/v1/messages/batches") {
        const b: Batch = { id: randomId("msgbatch_"), created: new Date().toISOString(), status: "in_progress", requests: body.requests, canceled: false };
        batches.set(b.id, b);
        server.batchesCreated++;
        return json(batchView(b, base));
      }
      const m = url.pathname.match(/^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/);
      const b = m ? batches.get(m[1]!) : undefined;
      if (m && !b) return json(errorBody("not_found_error", `no batch ${m[1]}`), 404);
      if (b && req.method === "GET" && !m![2]) {
        if (endAll && b.status !== "ended") b.status = "ended";
        return json(batchView(b, base));
      }
      if (b && req.method === "POST" && m![2] === "/cancel") {
        b.canceled = true;
        b.status = "ended";
        return json(batchView(b, base));
      }
      if (b && req.method === "GET" && m![2] === "/results") {
        const lines = b.requests.map((r) => {
          if (b.canceled) return { custom_id: r.custom_id, result: { type: "canceled" } };
          const user = lastUserText(r.params?.messages);
          return { custom_id: r.custom_id, result: { type: "succeeded", message: message(r.params.model, user, fakeCompress(user)) } };
        });
        return new Response(lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { headers: { "content-type": "application/binary" } });
      }
      return json(errorBody("not_found_error", `${req.method} ${url.pathname} is not served by the fake`), 404);
    },
  });
  server.port = http.port!;
  server.url = `http://127.0.0.1:${http.port}`;
  return server;
}
