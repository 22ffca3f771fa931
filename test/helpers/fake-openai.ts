// A local stand-in for the OpenAI API on 127.0.0.1 (also any OpenAI-compatible server): Chat
// Completions, Files (multipart upload, content) and Batch (create, retrieve, cancel), in the
// documented wire format, with injectable faults. The base URL ends in /v1, as the SDK expects.
import {
  answerCompletion, credential, fakeCompress, halves, json, lastUserText, randomId, roughTokens, sse,
  type FakeOptions, type FakeServer,
} from "./fake-common.ts";

interface Batch {
  id: string;
  inputFileId: string;
  status: "validating" | "in_progress" | "completed" | "cancelled";
  lines: Array<{ custom_id: string; body: any }>;
  outputFileId: string | null;
}

const errorBody = (type: string, message: string) => ({ error: { message, type, param: null, code: type } });

function completion(model: string, user: string, text: string, truncated = false) {
  return {
    id: randomId("chatcmpl-"), object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: truncated ? "length" : "stop", logprobs: null }],
    usage: { prompt_tokens: roughTokens(user), completion_tokens: roughTokens(text), total_tokens: roughTokens(user) + roughTokens(text) },
  };
}

/** `stream: true`: chat.completion.chunk events, the usage in a last chunk without choices. */
function streamed(model: string, user: string, text: string, truncated: boolean): Response {
  const chunk = (choices: unknown[], extra: object = {}) => ({ id: "chatcmpl-s", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices, ...extra });
  return sse([
    ...halves(text).map((piece) => ({ data: chunk([{ index: 0, delta: { role: "assistant", content: piece }, finish_reason: null }]) })),
    { data: chunk([{ index: 0, delta: {}, finish_reason: truncated ? "length" : "stop" }]) },
    { data: chunk([], { usage: { prompt_tokens: roughTokens(user), completion_tokens: roughTokens(text), total_tokens: roughTokens(user) + roughTokens(text) } }) },
    { data: "[DONE]" },
  ]);
}

/** "sk-proj-abcdefgh…wxyz" -> "sk-proj-************wxyz", the shape of OpenAI's real 401 message. */
export function maskedLikeOpenAI(key: string): string {
  return key.length <= 12 ? key : `${key.slice(0, 8)}${"*".repeat(Math.min(20, key.length - 12))}${key.slice(-4)}`;
}

export function startFakeOpenAI(opts: FakeOptions = {}): FakeServer {
  const files = new Map<string, string>();
  const batches = new Map<string, Batch>();
  let endAll = opts.batchEnd !== "manual";

  const finish = (b: Batch) => {
    if (b.status === "completed" || b.status === "cancelled") return;
    const out = b.lines.map((l) => {
      const user = lastUserText(l.body?.messages);
      return { id: randomId("batch_req_"), custom_id: l.custom_id, response: { status_code: 200, request_id: randomId("req_"), body: completion(l.body.model, user, fakeCompress(user)) }, error: null };
    });
    b.outputFileId = randomId("file-");
    files.set(b.outputFileId, out.map((o) => JSON.stringify(o)).join("\n") + "\n");
    b.status = "completed";
  };
  const view = (b: Batch) => ({
    id: b.id, object: "batch", endpoint: "/v1/chat/completions", errors: null, input_file_id: b.inputFileId,
    completion_window: "24h", status: b.status, output_file_id: b.outputFileId, error_file_id: null,
    created_at: Math.floor(Date.now() / 1000),
    request_counts: { total: b.lines.length, completed: b.status === "completed" ? b.lines.length : 0, failed: 0 },
  });

  const server: FakeServer = {
    url: "", port: 0, requests: [], perInput: new Map(), completions: 0, answered: 0, inFlight: 0, maxInFlight: 0,
    faults: [], batchesCreated: 0,
    endBatches: () => {
      endAll = true;
      for (const b of batches.values()) finish(b);
    },
    stop: () => http.stop(true),
  };

  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const path = url.pathname.replace(/^\/v1/, "");
      const auth = credential(req);
      const isJson = req.headers.get("content-type")?.includes("application/json");
      const body: any = req.method === "POST" && isJson ? await req.json().catch(() => null) : null;
      server.requests.push({ method: req.method, path: url.pathname, auth, body });
      opts.onRequest?.(req.method, url.pathname);
      if (opts.expectKey !== undefined && auth !== opts.expectKey) {
        // As OpenAI words it: the key it got, masked, but with its prefix and last four characters.
        return json(errorBody("invalid_api_key", `Incorrect API key provided: ${maskedLikeOpenAI(auth ?? "")}. You can find your API key at https://platform.openai.com/account/api-keys.`), 401);
      }

      if (req.method === "POST" && path === "/chat/completions") {
        const user = lastUserText(body?.messages);
        return answerCompletion(server, opts, user, errorBody, (text, truncated) => (body.stream ? streamed(body.model, user, text, truncated) : json(completion(body.model, user, text, truncated))));
      }
      if (req.method === "POST" && path === "/files") {
        const form = await req.formData();
        const file = form.get("file") as File | null;
        if (!file || form.get("purpose") !== "batch") return json(errorBody("invalid_request_error", "file and purpose=batch required"), 400);
        const id = randomId("file-");
        const text = await file.text();
        files.set(id, text);
        return json({ id, object: "file", bytes: text.length, created_at: Math.floor(Date.now() / 1000), filename: file.name, purpose: "batch", status: "processed" });
      }
      const fm = path.match(/^\/files\/([^/]+)\/content$/);
      if (fm && req.method === "GET") {
        const text = files.get(fm[1]!);
        return text === undefined ? json(errorBody("not_found", "no such file"), 404) : new Response(text, { headers: { "content-type": "application/octet-stream" } });
      }
      if (req.method === "POST" && path === "/batches") {
        const input = files.get(body?.input_file_id);
        if (input === undefined) return json(errorBody("invalid_request_error", "unknown input_file_id"), 400);
        const lines = input.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
        const b: Batch = { id: randomId("batch_"), inputFileId: body.input_file_id, status: "validating", lines, outputFileId: null };
        batches.set(b.id, b);
        server.batchesCreated++;
        return json(view(b));
      }
      const bm = path.match(/^\/batches\/([^/]+)(\/cancel)?$/);
      const b = bm ? batches.get(bm[1]!) : undefined;
      if (bm && !b) return json(errorBody("not_found", `no batch ${bm[1]}`), 404);
      if (b && req.method === "GET") {
        if (endAll) finish(b);
        else if (b.status === "validating") b.status = "in_progress";
        return json(view(b));
      }
      if (b && req.method === "POST" && bm![2]) {
        if (b.status !== "completed") b.status = "cancelled";
        return json(view(b));
      }
      return json(errorBody("not_found", `${req.method} ${url.pathname} is not served by the fake`), 404);
    },
  });
  server.port = http.port!;
  server.url = `http://127.0.0.1:${http.port}/v1`;
  return server;
}
