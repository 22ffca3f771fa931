// generator/rules' entry point: code docs get code rules, prose and mixed docs are split into
// runs — fenced code blocks, unfenced code (the classifier's code lines, with the blank and
// comment lines between them) and prose — and each run gets its own rules.
import type { Domain } from "../../sdk/types.ts";
import { labelLines } from "../classify.ts";
import { compressCode, familyFor, familyForPath, sniffFamily, type Family } from "./code.ts";
import { compressProse } from "./prose.ts";

export interface RulesOptions {
  strip_comments: boolean;
  strip_docstrings: boolean;
  drop_articles: boolean;
  indent: "keep" | "one";
  code_blocks: "compress" | "verbatim";
}

export interface RulesInput {
  text: string;
  domain: Domain;
  /** The doc's language (source.lang) and path (source.path), to pick the code family. */
  lang?: string;
  path?: string;
}

const FENCE = /^(\s{0,3})(`{3,}|~{3,})\s*([\w+#.-]*)/;
const PROSE_LANGS = new Set(["markdown", "md", "mdx", "text", "txt", "plaintext", "rst", "asciidoc", "adoc"]);

export function compressRules(input: RulesInput, opts: RulesOptions): string {
  const family = familyFor(input.lang) ?? familyForPath(input.path);
  const prosey = PROSE_LANGS.has((input.lang ?? "").toLowerCase()) || /\.(?:md|mdx|txt|rst)$/i.test(input.path ?? "");
  if (input.domain === "code" && !prosey) return compressCode(input.text, family ?? sniffFamily(input.text), opts);
  return compressDocument(input.text, opts);
}

type Run =
  | { kind: "prose" | "code"; lines: string[] }
  | { kind: "fence"; open: string; lang: string; lines: string[]; close: string | null };

export function compressDocument(text: string, opts: RulesOptions): string {
  const out: string[] = [];
  for (const run of splitRuns(text.replace(/\r\n?/g, "\n"))) {
    let s: string;
    if (run.kind !== "fence") {
      const body = run.lines.join("\n");
      s = run.kind === "prose" ? compressProse(body, opts) : codeRun(body, undefined, opts);
    } else {
      const body = codeRun(run.lines.join("\n"), familyFor(run.lang), opts);
      s = [run.open.trimEnd(), ...(body ? [body] : []), ...(run.close !== null ? [run.close.trimEnd()] : [])].join("\n");
    }
    if (s) out.push(s);
  }
  return out.join("\n");
}

function codeRun(code: string, family: Family | undefined, opts: RulesOptions): string {
  if (opts.code_blocks === "verbatim") return code;
  return compressCode(code, family ?? sniffFamily(code), opts);
}

function splitRuns(text: string): Run[] {
  const lines = text.split("\n");
  const labels = labelLines(text);
  const runs: Run[] = [];
  let i = 0;
  while (i < lines.length) {
    const f = FENCE.exec(lines[i]!);
    if (f) {
      const fence = f[2]!;
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !isClose(lines[j]!, fence)) body.push(lines[j++]!);
      runs.push({ kind: "fence", open: lines[i]!, lang: f[3]!, lines: body, close: j < lines.length ? lines[j]! : null });
      i = j + 1;
      continue;
    }
    // Unfenced code: a code line, plus the blank/neutral lines up to the next code line.
    const kind = labels[i] === "code" ? "code" : "prose";
    let j = i + 1;
    while (j < lines.length && !FENCE.test(lines[j]!) && runKind(labels, j, kind) === kind) j++;
    const last = runs[runs.length - 1];
    if (last && last.kind === kind) last.lines.push(...lines.slice(i, j));
    else runs.push({ kind, lines: lines.slice(i, j) });
    i = j;
  }
  return runs;
}

// A neutral line continues a code run only if more code follows before any prose.
function runKind(labels: string[], j: number, current: "code" | "prose"): "code" | "prose" {
  const l = labels[j];
  if (l === "code") return "code";
  if (l === "prose") return "prose";
  if (current === "prose") return "prose";
  for (let k = j + 1; k < labels.length; k++) {
    if (labels[k] === "code") return "code";
    if (labels[k] === "prose") return "prose";
  }
  return "prose";
}

function isClose(line: string, fence: string): boolean {
  const t = line.trim();
  return t.length >= fence.length && t[0] === fence[0] && /^(`+|~+)$/.test(t);
}
