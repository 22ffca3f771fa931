// `ctxc compress [FILE|-] [--model RUN_DIR|rules|default] [--rate R] [--domain …] [--jsonl] [--json]`:
// compress text with the embedded extractive model, a trained run, or the rules baseline.
// Plain text in → compressed text out. With --jsonl every input line is {"text", "id"?,
// "domain"?, …} and every output line the same object plus "compressed" and
// "scores.token_ratio", in input order, streamed: memory stays flat however long the input.
// Torn or non-JSON lines are reported on stderr with their line numbers and skipped.
import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { openCompressor } from "../compress/open.ts";
import { CompressorError, type Compressor } from "../compress/types.ts";
import { CtxcError, EXIT } from "../core/errors.ts";
import type { Domain } from "../sdk/types.ts";
import { readJsonl } from "../text/jsonl.ts";
// Not ./_shared.ts: it loads consola (~10 ms), and one compression must start in a few ms.
// The logger is imported only when there is something to log.

const verbosityArgs = {
  quiet: { type: "boolean", alias: "q", description: "Only warnings and errors" },
  verbose: { type: "boolean", description: "Debug lines and stack traces" },
} as const;

async function logger(args: { quiet?: boolean; verbose?: boolean }) {
  const { applyVerbosity, log } = await import("./_shared.ts");
  applyVerbosity(args);
  return log;
}

const DOMAINS = ["auto", "code", "nl", "mixed"] as const;

export const examples = [
  "ctxc compress notes.md                      the embedded default model, keeping about the teacher's share",
  "ctxc compress notes.md --rate 0.3           keep 30% of the words (facts are always kept)",
  "cat f.py | ctxc compress - --domain code",
  "ctxc compress --model models/runs/extractive/2026-12-01T10-00-00-000Z doc.txt",
  "ctxc compress --model runs/quickstart/05-trainer-extractive doc.txt   the run a pipeline trained",
  "ctxc compress docs.jsonl --jsonl > out.jsonl   one {\"text\": …} per line, streamed",
  "ctxc compress doc.txt --model rules --json  the rules baseline, with token counts",
  "ctxc compress doc.txt --model models/runs/mlx/2026-12-01T10-00-00-000Z   a LoRA student (mlx_lm.server), printed as it is generated",
  "ctxc compress doc.txt --model anthropic:claude-sonnet-4-6   the teacher, with generator/compress's prompt",
];

export function parseRate(raw: unknown): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1) {
    throw new CtxcError(`--rate ${String(raw)} is outside (0, 1]`, { hint: "give the share of words to keep, e.g. --rate 0.5 (1 keeps everything)", exitCode: EXIT.invalid });
  }
  return rate;
}

export function parseDomain(raw: unknown): Domain | "auto" {
  const d = String(raw ?? "auto");
  if (!(DOMAINS as readonly string[]).includes(d)) throw new CtxcError(`--domain ${d} is not one of ${DOMAINS.join(", ")}`, { hint: "auto classifies each text; code keeps line structure", exitCode: EXIT.invalid });
  return d as Domain | "auto";
}

async function open(spec: string): Promise<Compressor> {
  try {
    return await openCompressor(spec, { root: process.cwd() });
  } catch (e) {
    if (e instanceof CompressorError) throw new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.invalid });
    throw e;
  }
}

async function readAllText(file: string): Promise<string> {
  const f = file === "-" ? Bun.stdin : Bun.file(file);
  if (file !== "-" && !existsSync(file)) throw new CtxcError(`${file}: no such file`, { hint: "give a path to a text file, or - for standard input", exitCode: EXIT.invalid });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await f.bytes());
  } catch {
    throw new CtxcError(`${file === "-" ? "standard input" : file} is not valid UTF-8 text`, { hint: "re-encode it as UTF-8 (e.g. iconv -t UTF-8)", exitCode: EXIT.invalid });
  }
}

/** --jsonl: stream rows through the compressor; returns how many lines were skipped. */
export async function compressJsonl(c: Compressor, file: string, rate: number | undefined, domain: Domain | "auto", write: (s: string) => void | Promise<void>, warn: (line: string) => void): Promise<{ rows: number; skipped: number }> {
  const path = file === "-" ? "/dev/stdin" : file;
  if (file !== "-" && !existsSync(file)) throw new CtxcError(`${file}: no such file`, { hint: "give a JSONL file, or - for standard input", exitCode: EXIT.invalid });
  const name = file === "-" ? "stdin" : file;
  let rows = 0;
  let skipped = 0;
  const skip = (line: number, why: string) => {
    skipped++;
    warn(`${name}:${line}: ${why} — line skipped`);
  };
  for await (const { line, value } of readJsonl<Record<string, unknown>>(path, (issue) => skip(issue.line, issue.message))) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || typeof value.text !== "string") {
      skip(line, 'not an object with a "text" string');
      continue;
    }
    const rowDomain = typeof value.domain === "string" && (DOMAINS as readonly string[]).includes(value.domain) ? (value.domain as Domain) : domain;
    const r = await c.compress(value.text, { rate, domain: rowDomain });
    const scores = typeof value.scores === "object" && value.scores !== null ? value.scores : {};
    const ratio = r.tokens_in === 0 ? 1 : r.tokens_out / r.tokens_in;
    await write(JSON.stringify({ ...value, compressed: r.compressed, scores: { ...scores, token_ratio: Math.round(ratio * 10000) / 10000 } }) + "\n");
    rows++;
  }
  return { rows, skipped };
}

export default defineCommand({
  meta: {
    name: "compress",
    description: "Compress text: ctxc compress [FILE|-] [--model RUN_DIR|rules|default] [--rate R] [--domain auto|code|nl|mixed] [--jsonl] [--json]",
  },
  args: {
    file: { type: "positional", description: "Text file to compress (- or nothing: standard input)", required: false, default: "-" },
    model: { type: "string", alias: "m", description: "default (the embedded extractive model), rules, a training run folder (extractive, mlx, tinker), a pipeline's trainer stage folder, mlx-lm:MODEL#ADAPTER, or provider:model (the teacher)", default: "default" },
    rate: { type: "string", alias: "r", description: "Share of words to keep, in (0, 1] (default: what scores above the model's threshold, calibrated to the teacher's share)" },
    domain: { type: "string", description: "auto (classify the text), code, nl or mixed", default: "auto" },
    jsonl: { type: "boolean", description: 'Input is JSONL ({"text", "id"?, "domain"?} per line); output adds "compressed" and scores.token_ratio' },
    json: { type: "boolean", description: "Print one JSON object: compressed, tokens_in, tokens_out, token_ratio, ms, model" },
    ...verbosityArgs,
  },
  async run({ args }) {
    const rate = parseRate(args.rate);
    const domain = parseDomain(args.domain);
    const file = String(args.file ?? "-");
    const c = await open(String(args.model));
    try {
      if (args.jsonl) {
        const log = await logger(args);
        const out = Bun.stdout.writer();
        let pending = 0;
        const { rows, skipped } = await compressJsonl(c, file, rate, domain, async (s) => {
          out.write(s);
          if ((pending += s.length) > 1 << 16) {
            pending = 0;
            await out.flush(); // back-pressure: never hold more than ~64 KB of output
          }
        }, (line) => log.warn(line));
        await out.flush();
        if (skipped) log.warn(`${rows} rows compressed, ${skipped} lines skipped`);
        return 0;
      }
      const text = await readAllText(file);
      // Generative backends (mlx, tinker, provider:model) call onText as output arrives: print it
      // then, not after the whole answer. Leading whitespace is dropped, as `compressed` is trimmed.
      let streamed = "";
      const onText = args.json
        ? undefined
        : (piece: string) => {
            const out = streamed ? piece : piece.trimStart();
            if (!out) return;
            streamed += out;
            process.stdout.write(out);
          };
      const r = await c.compress(text, { rate, domain, onText });
      if (streamed) {
        if (!streamed.endsWith("\n")) process.stdout.write("\n");
      } else if (args.json) {
        const ratio = r.tokens_in === 0 ? 1 : r.tokens_out / r.tokens_in;
        process.stdout.write(`${JSON.stringify({ model: c.spec, compressed: r.compressed, tokens_in: r.tokens_in, tokens_out: r.tokens_out, token_ratio: Math.round(ratio * 10000) / 10000, ms: Math.round(r.ms * 100) / 100 }, null, 2)}\n`);
      } else if (r.compressed !== "") {
        process.stdout.write(r.compressed.endsWith("\n") ? r.compressed : `${r.compressed}\n`);
      }
      return 0;
    } finally {
      await c.close?.();
    }
  },
});
