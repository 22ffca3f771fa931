// Ground truth from CPython itself, independent of ctxc's own heuristics: one python3 subprocess
// per call checks every text with `ast.parse` (an indented text, as the shared pairs' methods cut
// out of their classes, is parsed as the body of an `if`).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = String.raw`
import ast, json, sys

def parse(src):
    # A snippet cut out of a class is indented: parse it as the body of an "if" rather than
    # dedenting it, which would also change the text of its multi-line strings.
    try:
        return ast.parse(src)
    except Exception:
        pass
    if src.lstrip("\n")[:1] in (" ", "\t"):
        try:
            return ast.Module(body=ast.parse("if True:\n" + src).body[0].body, type_ignores=[])
        except Exception:
            return None
    return None

def is_doc(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, (str, bytes))

def strip_docstrings(tree):
    # What generator/rules promises: leading string statements of a module/def/class body are
    # dropped; a body left empty holds a single "...".
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            while body and is_doc(body[0]):
                body.pop(0)
            if not body and not isinstance(node, ast.Module):
                body.append(ast.Expr(ast.Constant(Ellipsis)))
    return tree

def signature_names(tree):
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [node.name]
            parts = [node.args, node.returns] if node.returns else [node.args]
            for part in parts:
                for sub in ast.walk(part):
                    if isinstance(sub, ast.arg): names.append(sub.arg)
                    elif isinstance(sub, ast.Name): names.append(sub.id)
                    elif isinstance(sub, ast.Attribute): names.append(sub.attr)
            out.append(names)
    return out

items = json.load(open(sys.argv[1]))
res = []
for it in items:
    t = parse(it["text"])
    r = {"parses": t is not None}
    if t is not None:
        first = it["text"].lstrip()
        r["starts_def"] = first.startswith(("def ", "class ", "async def ", "@"))
        r["signatures"] = signature_names(t)
        if "out" in it:
            o = parse(it["out"])
            r["out_parses"] = o is not None
            want = t if it.get("docstrings_kept") else strip_docstrings(t)
            r["ast_equal"] = o is not None and ast.dump(want) == ast.dump(o)
    res.append(r)
json.dump(res, sys.stdout)
`;

export interface PyResult {
  parses: boolean;
  starts_def?: boolean;
  /** Per function: its name, parameter names and every name in annotations/defaults/return. */
  signatures?: string[][];
  out_parses?: boolean;
  /** The output's AST equals the original's with docstrings removed (or unchanged, if kept). */
  ast_equal?: boolean;
}

export function pythonCheck(items: Array<{ text: string; out?: string; docstrings_kept?: boolean }>): PyResult[] {
  const dir = mkdtempSync(join(tmpdir(), "ctxc-py-"));
  const input = join(dir, "items.json");
  const script = join(dir, "check.py");
  writeFileSync(input, JSON.stringify(items));
  writeFileSync(script, SCRIPT);
  const proc = Bun.spawnSync(["python3", script, input], { stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`python3 check failed: ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString()) as PyResult[];
}
