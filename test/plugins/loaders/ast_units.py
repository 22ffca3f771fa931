"""Reference for loader/code on Python: the same unit rules, implemented with Python's own ast.

Usage: python3 ast_units.py ROOT [--exclude-dir REL ...] [--min-lines N ...]
Prints one JSON object: {"units": [[path, name, start, end, kind], ...], "stats": {...},
"seconds": wall time of the work}. Paths are relative to ROOT with "/" separators, sorted;
units are in file order; identical unit texts are kept once (first by path, then position).

Rules (mirroring plugins/loaders/code/{rules,units,file}.ts with default options):
  files   *.py under ROOT; not in .git or an excluded folder; test files skipped (test_*,
          *_test.*, *.test.*, *.spec.*, folders test/tests/__tests__); > max_file_bytes,
          NUL byte in the first 8000 bytes, invalid UTF-8, or whitespace-only: skipped.
  units   module-level def/async def (function), class (class), def/async def directly in a
          module-level class body (method). Start = first decorator line, end = end_lineno.
  text    lines start..end, the first line's indentation removed from lines that have it.
  drop    name starts with "test"; __dunder__ names; body only pass/.../str constants;
          < min_lines or > max_lines lines; < min_chars or > max_chars code points; duplicates.
"""
import argparse
import ast
import json
import os
import re
import sys
import time
import warnings

TEST_DIRS = {"test", "tests", "__tests__"}


def is_test_path(rel):
    parts = rel.split("/")
    base = parts.pop()
    if any(p in TEST_DIRS for p in parts):
        return True
    return base.startswith("test_") or re.search(r"_test\.[^.]+$", base) is not None or re.search(r"\.(test|spec)\.[^.]+$", base) is not None


def unit_text(lines, start, end):
    chunk = lines[start - 1:end]
    indent = re.match(r"[ \t]*", chunk[0]).group(0) if chunk else ""
    if not indent:
        return "\n".join(chunk)
    return "\n".join(l[len(indent):] if l.startswith(indent) else ("" if l.strip() == "" else l) for l in chunk)


def is_trivial(body):
    for s in body:
        if isinstance(s, ast.Pass):
            continue
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and (s.value.value is Ellipsis or isinstance(s.value.value, str)):
            continue
        return False
    return True


def units_of(tree):
    def unit(node, kind, class_name=None):
        start = min([d.lineno for d in node.decorator_list] + [node.lineno])
        return {"kind": kind, "name": node.name, "class": class_name, "start": start, "end": node.end_lineno, "trivial": is_trivial(node.body)}

    funcs = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, funcs):
            yield unit(node, "function")
        elif isinstance(node, ast.ClassDef):
            yield unit(node, "class")
            for member in node.body:
                if isinstance(member, funcs):
                    yield unit(member, "method", node.name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--exclude-dir", action="append", default=[])
    ap.add_argument("--min-lines", type=int, default=5)
    ap.add_argument("--max-lines", type=int, default=200)
    ap.add_argument("--min-chars", type=int, default=100)
    ap.add_argument("--max-chars", type=int, default=8000)
    ap.add_argument("--max-file-bytes", type=int, default=1_000_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    warnings.simplefilter("ignore")  # invalid escape sequences etc. in old modules

    paths = []
    for dirpath, dirnames, filenames in os.walk(args.root):
        rel_dir = os.path.relpath(dirpath, args.root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = [d for d in dirnames if d != ".git" and (rel_dir + "/" + d if rel_dir else d) not in args.exclude_dir]
        for f in filenames:
            if f.endswith(".py"):
                paths.append(rel_dir + "/" + f if rel_dir else f)
    paths.sort()

    stats = {}
    def skip(reason):
        stats[reason] = stats.get(reason, 0) + 1

    seen = set()
    out = []
    for rel in paths:
        if is_test_path(rel):
            skip("test")
            continue
        full = os.path.join(args.root, rel)
        data = open(full, "rb").read()
        if len(data) > args.max_file_bytes:
            skip("too_large")
            continue
        if b"\0" in data[:8000]:
            skip("binary")
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            skip("invalid_utf8")
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.strip() == "":
            skip("empty")
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            skip("syntax_error")
            continue
        lines = text.split("\n")
        for u in units_of(tree):
            name = u["name"]
            if name.startswith("test"):
                skip("test"); continue
            if len(name) > 4 and name.startswith("__") and name.endswith("__"):
                skip("dunder"); continue
            if u["trivial"]:
                skip("trivial"); continue
            n_lines = u["end"] - u["start"] + 1
            body = unit_text(lines, u["start"], u["end"])
            if n_lines < args.min_lines or len(body) < args.min_chars:
                skip("too_short"); continue
            if n_lines > args.max_lines or len(body) > args.max_chars:
                skip("too_long"); continue
            if body in seen:
                skip("duplicate"); continue
            seen.add(body)
            out.append([rel, name, u["start"], u["end"], u["kind"]])
    json.dump({"units": out, "stats": stats, "seconds": time.perf_counter() - t0}, sys.stdout)


if __name__ == "__main__":
    main()
