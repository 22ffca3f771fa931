/**
 * A minimal ustar writer for release archives: regular files only, owner root, fixed mtime, so
 * the same binary always gives the same .tar.gz (and SHA256SUMS) on any OS — GNU and BSD tar
 * disagree on the flags that would do this.
 */

export interface TarEntry {
  name: string;
  bytes: Uint8Array;
  mode: number;
}

const BLOCK = 512;

export function tar(entries: TarEntry[], mtime: number): Uint8Array<ArrayBuffer> {
  const size = entries.reduce((n, e) => n + BLOCK + Math.ceil(e.bytes.byteLength / BLOCK) * BLOCK, 0) + 2 * BLOCK;
  const out = new Uint8Array(size);
  let at = 0;
  for (const entry of entries) {
    out.set(header(entry, mtime), at);
    at += BLOCK;
    out.set(entry.bytes, at);
    at += Math.ceil(entry.bytes.byteLength / BLOCK) * BLOCK;
  }
  return out; // the two zero blocks that end an archive are already there
}

export function tarGz(entries: TarEntry[], mtime: number): Uint8Array {
  // Level 9 saves ~3% on a Bun binary but takes three times as long; 6 keeps CI quick.
  return Bun.gzipSync(tar(entries, mtime), { level: 6 });
}

function header(entry: TarEntry, mtime: number): Uint8Array {
  const name = new TextEncoder().encode(entry.name);
  if (name.byteLength > 100) throw new Error(`tar: file name "${entry.name}" is longer than 100 bytes`);
  const block = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => block.set(new TextEncoder().encode(text), offset);
  const octal = (offset: number, width: number, value: number) => put(offset, `${value.toString(8).padStart(width - 1, "0")}\0`);
  block.set(name, 0);
  octal(100, 8, entry.mode);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, entry.bytes.byteLength);
  octal(136, 12, mtime);
  put(148, "        "); // checksum is computed with its own field as spaces
  put(156, "0"); // regular file
  put(257, "ustar\0");
  put(263, "00");
  put(265, "root");
  put(297, "root");
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  put(148, `${checksum.toString(8).padStart(6, "0")}\0 `);
  return block;
}
