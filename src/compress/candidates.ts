// The compressors an evaluation compares, by name: "teacher" (the teacher's compression already on
// each doc: the reference, no latency), "student" (the pipeline's or the command's trained run),
// and any spec openCompressor knows (rules, default, run:PATH, provider:model, …).
import type { Doc, RunRecord } from "../sdk/types.ts";
import { countTokens } from "../text/tokens.ts";
import { openCompressor, type OpenContext } from "./open.ts";
import { CompressorError, type CompressResult } from "./types.ts";

export interface Candidate {
  /** As listed in the options or on the command line ("student", "rules", …). */
  name: string;
  /** What was opened ("teacher", "rules", "extractive:/…/run", …). */
  spec: string;
  /** "teacher" has no latency: its output was made before the evaluation. */
  timed: boolean;
  compress(doc: Doc, signal?: AbortSignal): Promise<CompressResult>;
  close(): Promise<void>;
}

export interface CandidateContext extends OpenContext {
  /** The trained run "student" stands for; undefined when there is none. */
  studentDir?: string;
}

export const TEACHER = "teacher";
export const STUDENT = "student";

function teacher(): Candidate {
  return {
    name: TEACHER,
    spec: TEACHER,
    timed: false,
    async compress(doc) {
      if (doc.compressed === undefined) throw new CompressorError(`doc ${doc.id} has no teacher compression`, "evaluate docs that went through a generator (the dataset's test split), or leave \"teacher\" out of the compressors");
      return { compressed: doc.compressed, tokens_in: countTokens(doc.text, "qwen3"), tokens_out: countTokens(doc.compressed, "qwen3"), ms: NaN };
    },
    async close() {},
  };
}

/** Open every named compressor; if one fails, the ones already open are closed. */
export async function openCandidates(names: string[], ctx: CandidateContext): Promise<Candidate[]> {
  const out: Candidate[] = [];
  try {
    for (const name of names) {
      if (name === TEACHER) {
        out.push(teacher());
        continue;
      }
      let spec = name;
      if (name === STUDENT) {
        if (!ctx.studentDir) throw new CompressorError(`"student" is listed but there is no trained run to stand for it`, "add a trainer stage before the evaluator, or name the compressors to compare (e.g. compressors = [\"rules\", \"default\"])");
        spec = `run:${ctx.studentDir}`;
      }
      const c = await openCompressor(spec, ctx);
      out.push({
        name,
        spec: c.spec,
        timed: true,
        compress: (doc, signal) => c.compress(doc.text, { domain: doc.domain, signal }),
        close: async () => c.close?.(),
      });
    }
  } catch (e) {
    await closeAll(out);
    throw e;
  }
  return out;
}

export async function closeAll(cs: Candidate[]): Promise<void> {
  await Promise.allSettled(cs.map((c) => c.close()));
}

/** Used when an evaluator's `compressors` is not set; "student" only when the pipeline trains. */
export const DEFAULT_COMPRESSORS = [STUDENT, TEACHER, "rules"];

/** The compressors an evaluator compares: its option as given, or the defaults that apply. */
export function compressorNames(opts: { compressors?: string[] }, model: RunRecord | null, log: { info(m: string): void }): string[] {
  if (opts.compressors) return opts.compressors;
  if (model) return DEFAULT_COMPRESSORS;
  log.info('no trainer in this pipeline: comparing "teacher" and "rules" (set `compressors` to compare others)');
  return DEFAULT_COMPRESSORS.filter((n) => n !== STUDENT);
}

/** The test docs to evaluate: the first `rows`; with "teacher" compared, only docs that have its compression. */
export function evaluationDocs(testDocs: Doc[], rows: number | undefined, names: string[]): Doc[] {
  const docs = names.includes(TEACHER) ? testDocs.filter((d) => d.compressed !== undefined) : testDocs;
  return rows ? docs.slice(0, rows) : docs;
}
