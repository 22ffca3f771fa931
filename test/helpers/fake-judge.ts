// Scripted judge replies on top of the fake provider servers. The fakes answer every completion
// with `fakeCompress(user)`; this helper stands a small proxy in front of one, passes every
// request through unchanged (so the fake still records it, injects its faults and runs its
// batches), and rewrites each answer's text to `script(user, model)`. Direct calls are rewritten
// in their response; batch results are matched back to their request through fakeCompress,
// which the proxy computes for every user text it forwards.
import { fakeCompress, lastUserText } from "./fake-common.ts";
import { startFakeAnthropic } from "./fake-anthropic.ts";
import { startFakeOpenAI } from "./fake-openai.ts";
import type { FakeOptions, FakeServer } from "./fake-common.ts";

export type Script = (user: string, model: string) => string;

export interface FakeJudge {
  /** Base URL for `base_urls` (the proxy's). */
  url: string;
  /** The fake behind the proxy: requests, completions, faults, batches. */
  fake: FakeServer;
  /** Replace the script (e.g. per test). */
  script: Script;
  stop(): void;
}

export function startFakeJudge(protocol: "anthropic" | "openai", script: Script, opts: FakeOptions = {}): FakeJudge {
  const fake = protocol === "anthropic" ? startFakeAnthropic(opts) : startFakeOpenAI(opts);
  const target = new URL(fake.url).origin;
  /** fakeCompress(user) -> user, for every user text seen, to rewrite batch results. */
  const users = new Map<string, string>();
  const remember = (user: string) => users.set(fakeCompress(user), user);
  const self: FakeJudge = { url: "", fake, script, stop: () => (http.stop(true), fake.stop()) };
  const reply = (fakeText: string, model: string) => {
    const user = users.get(fakeText);
    return user === undefined || !fakeText ? fakeText : self.script(user, model);
  };

  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const bytes = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await req.arrayBuffer());
      const type = req.headers.get("content-type") ?? "";
      if (bytes && type.includes("application/json")) {
        const body: any = JSON.parse(new TextDecoder().decode(bytes) || "null");
        if (body?.messages) remember(lastUserText(body.messages));
        for (const r of body?.requests ?? []) remember(lastUserText(r?.params?.messages));
      } else if (bytes && type.includes("multipart/form-data")) {
        // An OpenAI batch input file: one request per line.
        const form = await new Response(bytes, { headers: { "content-type": type } }).formData();
        const file = form.get("file");
        if (file instanceof Blob) for (const line of (await file.text()).split("\n")) if (line.trim()) remember(lastUserText(JSON.parse(line).body?.messages));
      }
      const headers = new Headers(req.headers);
      headers.delete("host");
      headers.delete("content-length");
      const res = await fetch(target + url.pathname + url.search, { method: req.method, headers, body: bytes });
      const text = await res.text();
      const out = new Headers(res.headers);
      out.delete("content-length");
      out.delete("content-encoding");
      if (!res.ok) return new Response(text, { status: res.status, headers: out });
      // Links the fake hands out (Anthropic's results_url) must lead back through the proxy.
      const linked = text.replaceAll(target, url.origin);
      return new Response(rewrite(url.pathname, linked, reply), { status: res.status, headers: out });
    },
  });
  self.url = protocol === "anthropic" ? `http://127.0.0.1:${http.port}` : `http://127.0.0.1:${http.port}/v1`;
  return self;
}

/** Swap the fake's answer texts for scripted ones: a JSON response, or JSONL batch results. */
function rewrite(path: string, text: string, reply: (fakeText: string, model: string) => string): string {
  const one = (o: any): any => {
    // Anthropic message
    if (o?.type === "message" && Array.isArray(o.content)) {
      for (const b of o.content) if (b?.type === "text") b.text = reply(b.text, o.model);
    }
    // OpenAI chat completion
    if (o?.object === "chat.completion") {
      for (const c of o.choices ?? []) if (typeof c?.message?.content === "string") c.message.content = reply(c.message.content, o.model);
    }
    if (o?.result?.message) one(o.result.message);
    if (o?.response?.body) one(o.response.body);
    return o;
  };
  const isResults = /\/results$|\/files\/[^/]+\/content$/.test(path);
  if (isResults) {
    return text
      .split("\n")
      .map((l) => (l.trim() ? JSON.stringify(one(JSON.parse(l))) : l))
      .join("\n");
  }
  try {
    return JSON.stringify(one(JSON.parse(text)));
  } catch {
    return text; // a fault the fake injected on purpose (malformed JSON): pass it on as it is
  }
}

/** A verdict as a judge would write it. */
export function verdictJson(score: number, opts: { verdict?: string; confidence?: number; missing?: string[]; rationale?: string } = {}): string {
  const verdict = opts.verdict ?? (score >= 0.8 ? "equivalent" : score >= 0.5 ? "partial" : "not_equivalent");
  return JSON.stringify({ verdict, score, confidence: opts.confidence ?? 0.9, missing_facts: opts.missing ?? [], rationale: opts.rationale ?? `scored ${score}` });
}
