// The HTTP API of `ctxc serve` as one fetch handler (Bun.serve calls it; tests call it directly):
//   POST /v1/compress   {text | texts, rate?, domain?} → compressed text(s), token counts, ms
//   GET  /health        {status, model, kind}
//   GET  /v1/models     the one model served, OpenAI-style
// A bearer token, when set, guards every route but /health. Bodies over `maxBodyBytes` get 413,
// requests beyond the gate's slots and queue get 429 with retry-after.
import { timingSafeEqual } from "node:crypto";
import type { Compressor, CompressResult } from "../compress/types.ts";
import { Gate } from "./gate.ts";
import { BadRequest, parseCompressBody } from "./request.ts";

export interface ServeLimits {
  maxBodyBytes: number;
  maxTexts: number;
  concurrency: number;
  queue: number;
}

export const DEFAULT_LIMITS: ServeLimits = { maxBodyBytes: 1 << 20, maxTexts: 256, concurrency: 32, queue: 256 };

export interface ServeApp {
  fetch(req: Request): Promise<Response>;
  gate: Gate;
}

const RETRY_AFTER_SECONDS = 1;
/**
 * Texts of one request compressed at once: a model server (mlx) batches them; for the in-process
 * compressors, which run synchronously, it changes nothing.
 */
const TEXTS_IN_FLIGHT = 8;

/** `fn` over `items` with at most `limit` calls pending; results in input order. */
async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export function createServeApp(compressor: Compressor, opts: { limits?: Partial<ServeLimits>; token?: string } = {}): ServeApp {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const gate = new Gate(limits.concurrency, limits.queue);
  const token = opts.token ? Buffer.from(`Bearer ${opts.token}`) : undefined;
  const model = { id: compressor.spec, object: "model", owned_by: "ctxc", kind: compressor.kind };

  async function compress(req: Request): Promise<Response> {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > limits.maxBodyBytes) return tooLarge(declared, limits.maxBodyBytes);
    const raw = await req.text();
    const size = Buffer.byteLength(raw);
    if (size > limits.maxBodyBytes) return tooLarge(size, limits.maxBodyBytes);
    const body = parseCompressBody(raw, limits.maxTexts);
    const release = await gate.enter();
    if (!release) return error(429, `busy: ${limits.concurrency} requests running and ${limits.queue} waiting; retry after ${RETRY_AFTER_SECONDS} s`, { "retry-after": String(RETRY_AFTER_SECONDS) });
    const t0 = performance.now();
    let results: CompressResult[];
    try {
      results = await mapPool(body.texts, TEXTS_IN_FLIGHT, (text) => compressor.compress(text, { rate: body.rate, domain: body.domain, signal: req.signal }));
    } finally {
      release();
    }
    const ms = round(performance.now() - t0);
    const clean = results.map((r) => ({ compressed: r.compressed, tokens_in: r.tokens_in, tokens_out: r.tokens_out, ms: round(r.ms) }));
    if (body.single) return Response.json({ model: model.id, ...clean[0] });
    const sum = (k: "tokens_in" | "tokens_out") => clean.reduce((a, r) => a + r[k], 0);
    return Response.json({ model: model.id, results: clean, tokens_in: sum("tokens_in"), tokens_out: sum("tokens_out"), ms });
  }

  async function route(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    if (pathname === "/health") return req.method === "GET" ? Response.json({ status: "ok", model: model.id, kind: model.kind, ...gate.load }) : notAllowed("GET");
    if (token && !authorized(req.headers.get("authorization"), token)) {
      return error(401, "missing or wrong bearer token; send Authorization: Bearer <the token in --token-env's variable>", { "www-authenticate": "Bearer" });
    }
    if (pathname === "/v1/models") return req.method === "GET" ? Response.json({ object: "list", data: [model] }) : notAllowed("GET");
    if (pathname === "/v1/compress") return req.method === "POST" ? compress(req) : notAllowed("POST");
    return error(404, `no route ${pathname}; the routes are POST /v1/compress, GET /v1/models, GET /health`);
  }

  return {
    gate,
    async fetch(req) {
      try {
        return await route(req);
      } catch (e) {
        if (e instanceof BadRequest) return error(e.status, e.message);
        // A compressor failure (a backend that stopped, a provider error) is the server's fault.
        return error(503, `${compressor.spec}: ${(e as Error).message}`);
      }
    },
  };
}

function authorized(header: string | null, expected: Buffer): boolean {
  if (!header) return false;
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function tooLarge(bytes: number, max: number): Response {
  return error(413, `the body is ${bytes} bytes; at most ${max} (split the texts over several requests, or raise --max-body)`);
}

function notAllowed(method: string): Response {
  return error(405, `use ${method}`, { allow: method });
}

function error(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
