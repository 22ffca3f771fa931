// `npm run setup:python`: makes the project's Python venv (.venv/) from python/requirements.txt,
// the one pinned list of the Python side (mlx[cpu], mlx-lm, tinker, mlflow, …). Reused while the
// requirements file is unchanged: its SHA-256 is stored in .venv/ctxc-requirements.sha256, and a
// venv that already has every pinned version (e.g. one made by hand) is reused without pip.
//
//   bun build/setup-python.ts [--dir PATH] [--python python3.11] [--force]
//
// The base interpreter is --python, else $CTXC_SETUP_PYTHON, else python3; it must be >= 3.10
// (mlx-lm's floor). Exit 1 with a message naming what failed (version, venv, pip) otherwise.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const REQUIREMENTS = join(ROOT, "python", "requirements.txt");
const STAMP = "ctxc-requirements.sha256";
const MIN = [3, 10] as const;

interface Args {
  dir: string;
  python: string;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: join(ROOT, ".venv"), python: process.env.CTXC_SETUP_PYTHON || "python3", force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir") args.dir = resolve(argv[++i] ?? fail("--dir needs a path"));
    else if (a === "--python") args.python = argv[++i] ?? fail("--python needs an interpreter");
    else if (a === "--force") args.force = true;
    else fail(`unknown argument ${a} (use --dir PATH, --python EXE, --force)`);
  }
  return args;
}

function fail(message: string, hint?: string): never {
  process.stderr.write(`setup:python: ${message}\n${hint ? `  hint: ${hint}\n` : ""}`);
  process.exit(1);
}

function run(cmd: string[], inherit = false): { code: number; out: string } {
  try {
    const p = Bun.spawnSync(cmd, { stdout: inherit ? "inherit" : "pipe", stderr: inherit ? "inherit" : "pipe" });
    return { code: p.exitCode ?? 1, out: inherit ? "" : (String(p.stdout ?? "") + String(p.stderr ?? "")).trim() };
  } catch (e) {
    return { code: 127, out: (e as Error).message };
  }
}

/** "Python 3.11.7" → [3, 11]; fails with the install hint when the interpreter is missing or old. */
function checkVersion(python: string): string {
  const r = run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
  if (r.code !== 0) fail(`cannot run ${python} (${r.out || `exit ${r.code}`})`, "install Python 3.10 or newer, or pass --python / set CTXC_SETUP_PYTHON to one");
  const [major, minor] = r.out.split(".").map(Number) as [number, number];
  if (major < MIN[0] || (major === MIN[0] && minor < MIN[1])) {
    fail(`${python} is Python ${r.out}; the Python side needs ${MIN.join(".")} or newer (mlx-lm's floor)`, "install a newer Python (e.g. pyenv install 3.11) and pass --python python3.11");
  }
  return r.out;
}

/** The pinned `name==version` lines, extras dropped (`mlx[cpu]==0.32.4` → mlx 0.32.4). */
export function pins(text: string): Array<{ name: string; version: string }> {
  const out: Array<{ name: string; version: string }> = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)/.exec(line);
    if (m) out.push({ name: m[1]!, version: m[2]! });
  }
  return out;
}

/** True when the venv's Python already has every pinned version (no pip needed). */
function hasPins(venvPython: string, text: string): boolean {
  const wanted = JSON.stringify(pins(text).map((p) => [p.name, p.version]));
  const script = `import json, sys, importlib.metadata as m
ok = True
for name, version in json.loads(sys.argv[1]):
    try:
        ok = ok and m.version(name) == version
    except m.PackageNotFoundError:
        ok = False
sys.exit(0 if ok else 1)`;
  return run([venvPython, "-c", script, wanted]).code === 0;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(REQUIREMENTS)) fail(`${REQUIREMENTS} is missing`, "run this from a ctxc checkout");
  const text = readFileSync(REQUIREMENTS, "utf8");
  const hash = createHash("sha256").update(text).digest("hex");
  const venvPython = join(args.dir, process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  const stampFile = join(args.dir, STAMP);
  const shared = existsSync(args.dir) && lstatSync(args.dir).isSymbolicLink();

  if (!args.force && existsSync(venvPython)) {
    if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === hash) {
      process.stdout.write(`setup:python: ${args.dir} is up to date (requirements unchanged)\n`);
      return;
    }
    if (hasPins(venvPython, text)) {
      // A linked venv is someone else's: read it, never write into it.
      if (!shared) writeFileSync(stampFile, hash + "\n");
      process.stdout.write(`setup:python: ${args.dir} already has every pinned package\n`);
      return;
    }
    if (shared) fail(`${args.dir} is a link to a shared venv that lacks the pinned packages; refusing to install into it`, "remove the link to make a private .venv, or update the shared venv");
  }

  const version = checkVersion(args.python);
  if (!existsSync(venvPython) || args.force) {
    process.stdout.write(`setup:python: making ${args.dir} with ${args.python} (Python ${version})\n`);
    const venvArgs = [args.python, "-m", "venv", ...(args.force ? ["--clear"] : []), args.dir];
    const r = run(venvArgs);
    if (r.code !== 0) fail(`\`${venvArgs.join(" ")}\` failed:\n${r.out}`, "on Debian/Ubuntu install the venv module (apt-get install python3-venv)");
  }
  process.stdout.write(`setup:python: installing ${REQUIREMENTS} (a few minutes the first time)\n`);
  const pip = [venvPython, "-m", "pip", "install", "--disable-pip-version-check", "-r", REQUIREMENTS];
  const r = run(pip, true);
  if (r.code !== 0) fail(`pip failed (exit ${r.code}) installing python/requirements.txt into ${args.dir}`, "read pip's error above; mlx[cpu] needs Linux x86-64 with glibc >= 2.35 or macOS on Apple Silicon (use plain `mlx` there)");
  writeFileSync(stampFile, hash + "\n");
  process.stdout.write(`setup:python: ready — ${venvPython}\n`);
}

if (import.meta.main) main();
