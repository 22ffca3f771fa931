// Child process of jsonl.test.ts: reads a JSONL file with maxLineBytes and prints what it got, so
// the parent can read this process's peak RSS.
import { readJsonl } from "../../src/text/jsonl.ts";

const [file, max] = process.argv.slice(2);
const tooLong: number[] = [];
let rows = 0;
for await (const _ of readJsonl(file!, (i) => i.tooLong && tooLong.push(i.line), undefined, { maxLineBytes: Number(max) })) rows++;
process.stdout.write(JSON.stringify({ rows, tooLong }));
