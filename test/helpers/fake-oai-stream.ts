// A local OpenAI-compatible Chat Completions server that streams (SSE, with the ": keepalive"
// comment lines mlx_lm.server also sends), for backends that talk to Tinker's sampling endpoint
// or any OpenAI-compatible server. It records each request's path, headers and body.
export interface StreamServer {
  url: string;
  requests: Array<{ path: string; headers: Headers; body: any }>;
  stop(): void;
}

/** `answer(body)` gives the completion's pieces; `status` answers with an error instead. */
/** `answer` may be async: a piece is sent when the iterator yields it (a test can hold one back). */
export function startStreamServer(opts: { answer?(body: any): Iterable<string> | AsyncIterable<string>; status?: number; requireKey?: string } = {}): StreamServer {
  const requests: StreamServer["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const body: any = req.method === "POST" ? await req.json() : undefined;
      requests.push({ path: url.pathname, headers: req.headers, body });
      if (opts.requireKey && req.headers.get("x-api-key") !== opts.requireKey) {
        return Response.json({ error: { message: "invalid API key", type: "authentication_error" } }, { status: 401 });
      }
      if (opts.status) return Response.json({ error: { message: "server error", type: "server_error" } }, { status: opts.status });
      if (!url.pathname.endsWith("/chat/completions")) return new Response("not found", { status: 404 });
      const pieces = opts.answer ? opts.answer(body) : ["dense ", "text"];
      const enc = new TextEncoder();
      const chunk = (delta: object, finish: string | null = null) =>
        enc.encode(`data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      const stream = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(enc.encode(": keepalive 1/2\n\n"));
          for await (const p of pieces) c.enqueue(chunk({ role: "assistant", content: p }));
          c.enqueue(chunk({}, "stop"));
          c.enqueue(enc.encode("data: [DONE]\n\n"));
          c.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
