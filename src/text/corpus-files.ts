// Finding and reading corpus files, shared by every file loader (code, Markdown): globs resolved
// against the pipeline folder, `exclude` globs, .gitignore files (nested ones and negations, via
// the `ignore` package), a size cap, binary / UTF-8 checks, and a walk that survives symlink
// loops. Problems with one file become a skip reason for that file, never an exception; only a
// glob that matches nothing throws, because that is a mistake in the pipeline file.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { isUserError, userError } from "./user-error.ts";

export interface CorpusFile {
  /** Absolute path. */
  abs: string;
  /** Relative to the pipeline folder, with "/" separators (may start with "../"). */
  path: string;
  /** Relative to the static part of the glob that found it (what test-file rules look at). */
  local: string;
  size: number;
  mtimeMs: number;
}

export interface FindOptions {
  /** The pipeline folder; relative globs resolve against it. */
  root: string;
  paths: string[];
  exclude?: string[];
  respectGitignore?: boolean;
  maxFileBytes?: number;
  /** Keep only files this accepts (e.g. by extension); others are not counted at all. `named` is
   *  true for a file given by its path rather than found by a glob or in a folder. */
  accept?: (local: string, named: boolean) => boolean;
  /** What the accepted files are, for the "matches nothing" error ("Python files"). */
  describe?: string;
  /** The "matches nothing" error's message for one entry of `paths`; default names the glob,
   *  `describe` and the folder it was resolved from. */
  noMatch?: (glob: string) => string;
  /** Called once per skipped file with a reason from the loader's skip vocabulary. */
  onSkip?: (reason: SkipReason, path: string, detail: string) => void;
}

export type SkipReason = "too_large" | "unreadable" | "symlink_loop" | "invalid_utf8" | "binary" | "empty";

const MAGIC = /[*?[\]{}!]/;

/** Splits a glob into the folder it starts from and the pattern below it. */
export function splitGlob(glob: string, root: string): { base: string; pattern: string | null } {
  const parts = glob.replaceAll("\\", "/").split("/");
  const firstMagic = parts.findIndex((p) => MAGIC.test(p));
  if (firstMagic === -1) return { base: resolve(root, glob), pattern: null };
  const baseParts = parts.slice(0, firstMagic);
  const base = baseParts.length === 0 ? root : resolve(root, baseParts.join("/") || "/");
  return { base, pattern: parts.slice(firstMagic).join("/") };
}

const toSlash = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));

/**
 * For a loader's `preflight` (so `ctxc validate` reports it, not a run later): one sentence per
 * entry of `paths` that selects no file (or is a symlink loop).
 */
export function noMatchProblems(opts: FindOptions): string[] {
  const problems: string[] = [];
  for (const glob of opts.paths) {
    try {
      findCorpusFiles({ ...opts, paths: [glob], onSkip: undefined });
    } catch (e) {
      problems.push(`${(e as Error).message}${isUserError(e) ? `; ${e.hint}` : ""}`);
    }
  }
  return problems;
}

/** Every file the globs select, sorted by path, each once. Skips are reported through onSkip. */
export function findCorpusFiles(opts: FindOptions): CorpusFile[] {
  const found = new Map<string, CorpusFile>();
  const excludes = (opts.exclude ?? []).map((g) => new Bun.Glob(g));
  const dirExcludes = (opts.exclude ?? []).filter((g) => g.endsWith("/**")).map((g) => new Bun.Glob(g.slice(0, -3)));
  const skip = opts.onSkip ?? (() => {});
  const maxBytes = opts.maxFileBytes ?? Infinity;
  const accept = opts.accept ?? (() => true);

  for (const glob of opts.paths) {
    const { base, pattern } = splitGlob(glob, opts.root);
    const matcher = pattern === null ? null : new Bun.Glob(pattern);
    let matched = 0;
    const isExcluded = (abs: string, local: string, dir: boolean) => {
      const fromRoot = toSlash(relative(opts.root, abs));
      const list = dir ? dirExcludes : excludes;
      return list.some((g) => g.match(fromRoot) || g.match(local));
    };
    const consider = (abs: string, local: string, st: { size: number; mtimeMs: number }, named: boolean) => {
      if (!accept(local, named) || isExcluded(abs, local, false)) return;
      matched++;
      if (found.has(abs)) return;
      const path = toSlash(relative(opts.root, abs)) || local;
      if (st.size > maxBytes) return skip("too_large", path, `${st.size} bytes > max_file_bytes ${maxBytes}`);
      found.set(abs, { abs, path, local, size: st.size, mtimeMs: st.mtimeMs });
    };

    let baseStat;
    let loop = false;
    try {
      baseStat = statSync(base);
    } catch (e) {
      baseStat = undefined;
      loop = (e as { code?: string }).code === "ELOOP";
    }
    if (baseStat?.isFile() && matcher === null) {
      consider(base, base.split(sep).pop()!, baseStat, true);
    } else if (baseStat?.isDirectory()) {
      const gitignore = opts.respectGitignore === false ? null : new GitignoreStack(base);
      walk(base, "", 1, new Set([realpathSync(base)]), gitignore, {
        maxDepth: globDepth(pattern),
        skip: (reason, abs, detail) => skip(reason, toSlash(relative(opts.root, abs)), detail),
        dirExcluded: (abs, local) => isExcluded(abs, local, true),
        file: (abs, local, st) => {
          if (matcher === null || matcher.match(local)) consider(abs, local, st, false);
        },
      });
    }
    if (matched === 0) {
      const hint = "check the path or glob; relative ones are resolved from the pipeline file's folder";
      if (loop) throw userError(`\`${glob}\` is a symbolic link loop (${base} points, through links, back to itself)`, "fix or remove the link, or point paths at the real file or folder");
      if (opts.noMatch) throw userError(opts.noMatch(glob), hint);
      const what = opts.describe ? ` ${opts.describe}` : " files";
      throw userError(`paths: "${glob}" matches no${what} (resolved from ${opts.root}${baseStat ? "" : `; ${base} does not exist`})`, hint);
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// How deep below its folder a glob can match: "*.py" only at the top, "*/x/*.py" two folders
// down; `**`, braces (which may hide a "/") and negations reach any depth, as does a folder.
function globDepth(pattern: string | null): number {
  if (pattern === null || pattern.includes("**") || pattern.includes("{") || pattern.startsWith("!")) return Infinity;
  return pattern.split("/").length;
}

interface WalkHooks {
  /** Folders below this depth (1 = the walk's start) are not entered. */
  maxDepth: number;
  skip(reason: SkipReason, abs: string, detail: string): void;
  dirExcluded(abs: string, local: string): boolean;
  file(abs: string, local: string, st: { size: number; mtimeMs: number }): void;
}

/** Depth-first walk that follows symlinks but never enters a folder it is already inside. */
function walk(dir: string, local: string, depth: number, ancestors: Set<string>, gitignore: GitignoreStack | null, hooks: WalkHooks): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return hooks.skip("unreadable", dir, (e as Error).message);
  }
  const rules = gitignore !== null && entries.some((e) => e.name === ".gitignore") && gitignore.enter(dir);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name === ".git") continue;
    const abs = join(dir, entry.name);
    const rel = local ? `${local}/${entry.name}` : entry.name;
    let isDir = entry.isDirectory();
    let st: { size: number; mtimeMs: number } | undefined;
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(abs);
        isDir = target.isDirectory();
        st = target;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        hooks.skip(code === "ELOOP" ? "symlink_loop" : "unreadable", abs, (e as Error).message);
        continue;
      }
    } else if (!isDir && !entry.isFile()) continue; // sockets, fifos, devices
    if (gitignore?.ignored(abs, isDir)) continue;
    if (isDir) {
      if (depth >= hooks.maxDepth || hooks.dirExcluded(abs, rel)) continue;
      let real: string;
      try {
        real = realpathSync(abs);
      } catch (e) {
        hooks.skip("unreadable", abs, (e as Error).message);
        continue;
      }
      if (ancestors.has(real)) {
        hooks.skip("symlink_loop", abs, `links back to ${real}`);
        continue;
      }
      ancestors.add(real);
      walk(abs, rel, depth + 1, ancestors, gitignore, hooks);
      ancestors.delete(real);
    } else {
      try {
        st ??= statSync(abs);
      } catch (e) {
        hooks.skip("unreadable", abs, (e as Error).message);
        continue;
      }
      hooks.file(abs, rel, st);
    }
  }
  if (rules) gitignore!.leave(dir);
}

/**
 * The .gitignore files that apply inside one folder: those of the enclosing repository from its
 * top down to the walk's start, then each nested one while the walk is inside its folder. Deeper
 * files override shallower ones (a later `!pattern` re-includes), as in git.
 */
class GitignoreStack {
  private levels: Array<{ dir: string; ig: Ignore }> = [];

  constructor(start: string) {
    const chain: string[] = [];
    for (let d = start; ; d = dirname(d)) {
      if (d !== start) chain.unshift(d);
      if (existsSync(join(d, ".git")) || dirname(d) === d) break;
    }
    // Only folders inside a repository contribute ignore files above the walk's start.
    if (existsSync(join(chain[0] ?? start, ".git"))) for (const d of chain) this.push(d);
    // A folder named explicitly is loaded even if its repository ignores it (as ripgrep does,
    // e.g. a Python stdlib inside a git-managed pyenv); then only the .gitignore files inside
    // it apply.
    if (this.ignored(start, true)) this.levels = [];
  }

  private push(dir: string): boolean {
    let text: string;
    try {
      text = readFileSync(join(dir, ".gitignore"), "utf8");
    } catch {
      return false;
    }
    this.levels.push({ dir, ig: ignore({ ignorecase: false }).add(text) });
    return true;
  }

  /** Loads `dir/.gitignore` if present; returns whether a level was added. */
  enter(dir: string): boolean {
    return this.push(dir);
  }

  leave(dir: string): void {
    if (this.levels.at(-1)?.dir === dir) this.levels.pop();
  }

  ignored(abs: string, isDir: boolean): boolean {
    let verdict = false;
    for (const { dir, ig } of this.levels) {
      const rel = toSlash(relative(dir, abs));
      if (!rel || rel.startsWith("..") || isAbsolute(rel)) continue;
      const r = ig.test(isDir ? `${rel}/` : rel);
      if (r.ignored) verdict = true;
      else if (r.unignored) verdict = false;
    }
    return verdict;
  }
}

export type ReadResult = { text: string } | { skip: SkipReason; detail: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The file's text, or why it cannot be used: unreadable, over the size cap, binary (a NUL byte in
 * the first 8 KB, git's test), not UTF-8, or empty after trimming. Line endings become "\n" and a
 * UTF-8 byte-order mark is dropped, so line numbers match what editors and Python report.
 */
export async function readCorpusText(abs: string, maxFileBytes = Infinity): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    // A synchronous read: in parser processes Bun's async file reads cost more than the read.
    bytes = readFileSync(abs);
  } catch (e) {
    return { skip: "unreadable", detail: (e as Error).message };
  }
  if (bytes.length > maxFileBytes) return { skip: "too_large", detail: `${bytes.length} bytes > max_file_bytes ${maxFileBytes}` };
  if (bytes.subarray(0, 8000).includes(0)) return { skip: "binary", detail: "contains NUL bytes" };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skip: "invalid_utf8", detail: "not valid UTF-8" };
  }
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { skip: "empty", detail: bytes.length === 0 ? "0 bytes" : "only whitespace" };
  return { text };
}

/** A cheap fingerprint of a file set: paths (relative, so moving the project keeps it), sizes and
 *  modification times, plus any extra parts. */
export function fingerprintFiles(files: CorpusFile[], extra?: unknown): string {
  const h = new Bun.CryptoHasher("sha256");
  h.update(JSON.stringify(extra ?? null));
  for (const f of files) h.update(`\n${f.path}\t${f.size}\t${Math.trunc(f.mtimeMs)}`);
  return h.digest("hex").slice(0, 32);
}
