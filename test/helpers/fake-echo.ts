// A hostile stand-in provider on 127.0.0.1 that echoes the credential it receives back to the
// client in every place a key has leaked from: the error body (plain, URL-encoded, in a nested
// JSON field), a response header, a Basic-auth challenge, and even the "compressed" answer of a
// 200. Speaks just enough of both wire protocols: POST …/chat/completions (OpenAI and every
// OpenAI-compatible preset) and POST …/messages (Anthropic). Which answer a doc gets is written in
// its text: "case:ok", "case:401", "case:400", "case:418", "case:500".
import { credential, json, lastUserText, randomId } from "./fake-common.ts";

export interface EchoServer {
  url: string;
  port: number;
  /** The credentials requests carried (to check the key really reached the server). */
  seen: string[];
  stop(): void;
}

function echoed(key: string) {
  return `key ${key} (url-encoded ${encodeURIComponent(key)}) is not valid`;
}

export function startEchoServer(): EchoServer {
  const server: EchoServer = { url: "", port: 0, seen: [], stop: () => http.stop(true) };
  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const key = credential(req) ?? "";
      server.seen.push(key);
      const path = new URL(req.url).pathname;
      const body: any = await req.json().catch(() => ({}));
      const user = lastUserText(body?.messages);
      const status = Number(/case:(\d{3})/.exec(user)?.[1] ?? 200);
      const headers = { "x-echo-key": key, "www-authenticate": `Basic realm="${Buffer.from(`user:${key}`).toString("base64")}"` };
      if (status !== 200) {
        return json({ error: { message: echoed(key), type: "invalid_request_error", param: encodeURIComponent(key), details: { nested: { received_key: key, auth: `Bearer ${key}` } } } }, status, headers);
      }
      const text = `compressed; the server says ${echoed(key)}`;
      if (path.endsWith("/messages")) {
        return json({ id: randomId("msg_"), type: "message", role: "assistant", model: body.model, content: [{ type: "text", text }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 10, output_tokens: 10 } }, 200, headers);
      }
      return json({ id: randomId("chatcmpl-"), object: "chat.completion", created: 1, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } }, 200, headers);
    },
  });
  server.port = http.port!;
  server.url = `http://127.0.0.1:${http.port}`;
  return server;
}
