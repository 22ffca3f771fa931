// Which rows of the last record stage's output become dataset rows: those with a `text` string and
// a non-blank `compressed` string. One definition for the dataset step's two passes, which must
// see the same rows in the same order.
import type { Doc } from "../sdk/types.ts";
import { readJsonlBatches, type JsonlIssue } from "../text/jsonl.ts";

/** Rows without a "compressed" key are counted, not parsed: a corpus before generation costs little. */
export const mayHaveCompressed = (raw: string): boolean => raw.includes('"compressed":');

export const usable = (d: Doc): boolean => typeof d.compressed === "string" && d.compressed.trim() !== "" && typeof d.text === "string";

/** The usable rows of `input`, in order, a read chunk at a time (no promise per row); every other
 * row is handed to `onSkip`. */
export async function* usableDocBatches(input: string, onSkip: () => void = () => {}, onIssue?: (issue: JsonlIssue) => void): AsyncGenerator<Doc[]> {
  const accept = (raw: string) => mayHaveCompressed(raw) || (onSkip(), false);
  for await (const rows of readJsonlBatches<Doc>(input, onIssue, accept)) {
    const docs: Doc[] = [];
    for (const { value: doc } of rows) {
      if (usable(doc)) docs.push(doc);
      else onSkip();
    }
    yield docs;
  }
}
