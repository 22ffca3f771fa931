import { describe, expect, test, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { compressCode, familyFor, familyForPath, sniffFamily, type CodeRuleOptions } from "../../../src/text/rules/code.ts";
import { lexPython } from "../../../src/text/rules/python-lex.ts";
import { STR } from "../../../src/text/rules/lex.ts";
import { pythonCheck } from "./_python.ts";

// These tests run CPython / a transpiler over whole corpora: minutes on a loaded 2-core machine
// must not read as failures.
setDefaultTimeout(120_000);

const RULES: CodeRuleOptions = { strip_comments: true, strip_docstrings: true, indent: "keep" };
const py = (src: string, o: Partial<typeof RULES> = {}) => compressCode(src, { kind: "python" }, { ...RULES, ...o });
const strings = (src: string) => lexPython(src).filter((t) => t.k === STR).map((t) => t.s);

describe("python lexer", () => {
  test("prefixes, triple quotes, escapes", () => {
    expect(strings(`a = rb'x\\'#' + BR"""y\n#"""  # c`)).toEqual([`rb'x\\'#'`, `BR"""y\n#"""`]);
    expect(strings(`elif"a" in x: pass`)).toEqual([`"a"`]); // "elif" is no prefix
  });

  test("f-string fields: nested strings, same quotes (3.12), format specs with quotes", () => {
    expect(strings(`f"{d["k"]} # x" # real`)).toEqual([`f"{d["k"]} # x"`]);
    expect(strings(`f"{x:'>10}" # real`)).toEqual([`f"{x:'>10}"`]);
    expect(strings(`f"{x:{w}.{p}f} {{#}}" # real`)).toEqual([`f"{x:{w}.{p}f} {{#}}"`]);
  });

  test("an unterminated string ends at its line; nothing throws", () => {
    expect(strings(`x = "abc\ny = 1  # c`)).toEqual([`"abc`]);
    expect(py(`x = "abc\ny = 1  # c`)).toBe(`x = "abc\ny = 1`);
    expect(() => py(`s = """never closed\n# still string`)).not.toThrow();
  });
});

describe("python docstrings", () => {
  test("module, class and nested def docstrings go; other string statements stay", () => {
    const src = ['"""Module."""', "import os", "class A:", "    'Class.'", "    def f(self):", '        """F."""', "        if x:", '            "not a docstring"', "        return 1"].join("\n");
    expect(py(src)).toBe(["import os", "class A:", "    def f(self):", "        if x:", '            "not a docstring"', "        return 1"].join("\n"));
  });

  test("consecutive leading strings all go; an emptied body gets ...; f-strings are not docstrings", () => {
    expect(py('def f():\n    """a"""\n    "b"\n    return 1')).toBe("def f():\n    return 1");
    expect(py('def f():\n    """a"""\n\ndef g(): pass')).toBe("def f():\n    ...\ndef g(): pass");
    expect(py('def f():\n    f"{x}"\n    return 1')).toBe('def f():\n    f"{x}"\n    return 1');
  });

  test("backslash continuations and comments inside brackets", () => {
    expect(py("x = 1 + \\\n    2  # c")).toBe("x = 1 + \\\n    2");
    expect(py("f(a,  # first\n  # alone\n  b)")).toBe("f(a, b)");
    expect(py("f(a,  # first\n  b)", { strip_comments: false })).toBe("f(a, # first\n  b)");
  });
});

describe("python on CPython's standard library", () => {
  // The stdlib is on every machine (see DESIGN.md); every second top-level module covers most syntax.
  const stdlib = Bun.spawnSync(["python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).stdout.toString().trim();
  const files = [...new Bun.Glob("*.py").scanSync(stdlib)].sort().filter((_, i) => i % 2 === 0);

  for (const indent of ["keep", "one"] as const) {
    test(`indent=${indent}: same AST minus docstrings, idempotent`, () => {
      const texts = files.map((f) => readFileSync(`${stdlib}/${f}`, "utf8"));
      const outs = texts.map((t) => py(t, { indent }));
      const res = pythonCheck(texts.map((t, i) => ({ text: t, out: outs[i] })));
      const parsed = res.filter((r) => r.parses);
      expect(parsed.length).toBeGreaterThan(80);
      const bad = files.filter((_, i) => res[i]!.parses && !res[i]!.ast_equal);
      expect(bad).toEqual([]);
      outs.forEach((o) => expect(py(o, { indent })).toBe(o));
    });
  }
});

describe("C-family", () => {
  const js = (src: string) => compressCode(src, familyFor("js")!, RULES);

  test("JavaScript blocks of the Node.js API docs transpile to the same program", () => {
    const docs = Bun.spawnSync(["sh", "-c", "dpkg -L nodejs 2>/dev/null | grep '/api/.*\\.md$'"]).stdout.toString().trim().split("\n").filter(Boolean);
    const tr = new Bun.Transpiler({ loader: "js", minifyWhitespace: true });
    let checked = 0;
    for (const f of docs) {
      for (const m of readFileSync(f, "utf8").matchAll(/^```(?:js|mjs|cjs)\n([\s\S]*?)^```$/gm)) {
        let want: string;
        try {
          want = tr.transformSync(m[1]!);
        } catch {
          continue; // an example that is not valid JavaScript on its own
        }
        const out = js(m[1]!);
        expect(tr.transformSync(out)).toBe(want);
        checked++;
      }
    }
    if (docs.length) expect(checked).toBeGreaterThan(1000);
  });

  test("no join inside braces (automatic semicolons), joins inside ( and [", () => {
    expect(js("f(a,\n  b);\nx.map(v => {\n  const y = v\n  return y\n})")).toBe("f(a, b);\nx.map(v => {\n  const y = v\n  return y\n})");
  });

  test("Go raw strings, Rust raw strings and lifetimes, C char literals, CSS", () => {
    expect(compressCode("s := `a // b`  // c", familyFor("go")!, RULES)).toBe("s := `a // b`");
    expect(compressCode('let s = r#"a // "b""#; // c\nfn f<\'a>(x: &\'a str) {} // d', familyFor("rust")!, RULES)).toBe(
      'let s = r#"a // "b""#;\nfn f<\'a>(x: &\'a str) {}',
    );
    expect(compressCode("char c = '\"'; // q\nchar *s = \"//\";", familyFor("c")!, RULES)).toBe("char c = '\"';\nchar *s = \"//\";");
    expect(compressCode("a { background: url(http://x/y.png); } /* c */", familyFor("css")!, RULES)).toBe("a { background: url(http://x/y.png); }");
  });
});

describe("families", () => {
  test("by language, path, or sniffing", () => {
    expect(familyFor("TypeScript")?.kind).toBe("clike");
    expect(familyForPath("src/app.py")?.kind).toBe("python");
    expect(familyForPath("Makefile")?.kind).toBe("hash");
    expect(sniffFamily("@dataclass\nclass A:\n    x: int = 1").kind).toBe("python");
    expect(sniffFamily("const x = {\n  a: 1,\n};\nfunction f() {\n  return x;\n}").kind).toBe("clike");
    expect(sniffFamily("SELECT 1").kind).toBe("plain");
  });

  test("hash family: whole-line comments only, shebang kept; plain: blank lines only", () => {
    const sh = "#!/bin/sh\n# setup\necho \"#1\" # not stripped: may be data\n\n  # indented comment\nx=1";
    expect(compressCode(sh, { kind: "hash" }, RULES)).toBe('#!/bin/sh\necho "#1" # not stripped: may be data\nx=1');
    expect(compressCode("SELECT a  -- c\n\nFROM t", { kind: "plain" }, RULES)).toBe("SELECT a  -- c\nFROM t");
  });
});
