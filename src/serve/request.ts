// The body of POST /v1/compress: `{text}` or `{texts: [...]}`, optional `rate` in (0, 1] and
// `domain` (code | nl | mixed | auto). Anything else is a 400 with a message saying what to send.
import type { Domain } from "../sdk/types.ts";

export interface CompressBody {
  texts: string[];
  /** `{text}` was sent: answer with one result's fields at the top level. */
  single: boolean;
  rate?: number;
  domain?: Domain | "auto";
}

const DOMAINS = ["code", "nl", "mixed", "auto"];

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function parseCompressBody(raw: string, maxTexts: number): CompressBody {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    throw new BadRequest(`the body is not valid JSON (${(e as Error).message}); send {"text": "..."} or {"texts": ["...", ...]}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object: {"text": "..."} or {"texts": ["...", ...]}');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !["text", "texts", "rate", "domain"].includes(k));
  if (unknown.length) throw new BadRequest(`unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; the fields are text, texts, rate, domain`);
  if ((b.text === undefined) === (b.texts === undefined)) throw new BadRequest('send exactly one of "text" (a string) or "texts" (an array of strings)');
  let texts: string[];
  if (b.text !== undefined) {
    if (typeof b.text !== "string") throw new BadRequest('"text" must be a string');
    texts = [b.text];
  } else {
    if (!Array.isArray(b.texts) || b.texts.some((t) => typeof t !== "string")) throw new BadRequest('"texts" must be an array of strings');
    if (b.texts.length === 0) throw new BadRequest('"texts" is empty');
    if (b.texts.length > maxTexts) throw new BadRequest(`"texts" has ${b.texts.length} entries; at most ${maxTexts} per request (split it, or raise --max-texts)`, 413);
    texts = b.texts as string[];
  }
  if (b.rate !== undefined && (typeof b.rate !== "number" || !(b.rate > 0 && b.rate <= 1))) throw new BadRequest('"rate" must be a number in (0, 1]: the share of tokens to keep');
  if (b.domain !== undefined && (typeof b.domain !== "string" || !DOMAINS.includes(b.domain))) throw new BadRequest(`"domain" must be one of ${DOMAINS.join(", ")}`);
  return { texts, single: b.text !== undefined, rate: b.rate as number | undefined, domain: b.domain as CompressBody["domain"] };
}
