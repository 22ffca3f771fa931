// Finds the units of one parsed file: top-level functions, classes, and the methods of top-level
// classes, per language. A unit starts at its first decorator / attribute line (or its own first
// line) and ends at the last line of its body, not counting comments after the last statement
// (tree-sitter attaches those to the body; Python's ast does not).
import type { Node } from "web-tree-sitter";
import type { Lang } from "./languages.ts";

export type UnitKind = "function" | "class" | "method";

export interface RawUnit {
  kind: UnitKind;
  name: string;
  /** The enclosing class (or impl / receiver type) of a method. */
  className?: string;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  /** The unit contains a tree-sitter ERROR or MISSING node. */
  error: boolean;
  /** The body is only `pass` / `...` / a docstring (Python) or empty (braced languages). */
  trivial: boolean;
  /** Marked as a test by the language (Rust `#[test]`), beyond the name rule. */
  testAttr: boolean;
}

export interface FileUnits {
  units: RawUnit[];
  /** Top-level ERROR nodes: code tree-sitter could not read, whose units are therefore lost. */
  syntaxErrors: number;
}

/** Row of the last line holding code inside `node` (trailing comments ignored), 0-based. */
function lastCodeRow(node: Node): number {
  for (let n: Node | null = node; n; ) {
    let c: Node | null = n.lastChild;
    while (c && (c.type === "comment" || c.startIndex === c.endIndex)) c = c.previousSibling;
    if (!c) return n.endPosition.row;
    n = c;
  }
  return node.endPosition.row;
}

/** Shared per file: the source lines, to tell cheaply whether a node ends on a comment line. */
let currentLines: string[] = [];

function unit(kind: UnitKind, name: string, outer: Node, def: Node, startRow: number, extra: Partial<RawUnit> = {}): RawUnit {
  let endRow = def.endPosition.row;
  // Only Python blocks can end in comments (braced bodies end at "}"); walk the tree only then.
  const last = currentLines[endRow]?.trimStart() ?? "";
  if (last.startsWith("#") || last === "") endRow = lastCodeRow(def);
  return {
    kind,
    name,
    start: startRow + 1,
    end: endRow + 1,
    error: outer.hasError,
    trivial: false,
    testAttr: false,
    ...extra,
  };
}

const nameOf = (n: Node, field = "name") => n.childForFieldName(field)?.text ?? "";

/** Named children that are not comments. */
function code(n: Node | null): Node[] {
  return n ? n.namedChildren.filter((c) => c.type !== "comment") : [];
}

// ---- Python ------------------------------------------------------------------------------

function isDocOrEllipsis(expr: Node): boolean {
  if (expr.type === "ellipsis") return true;
  if (expr.type === "parenthesized_expression") return code(expr).length === 1 && isDocOrEllipsis(code(expr)[0]!);
  if (expr.type === "concatenated_string") return code(expr).every(isDocOrEllipsisString);
  return isDocOrEllipsisString(expr);
}

/** A plain str constant: not an f-string (ast.JoinedStr), not bytes (ast.Constant of bytes). */
function isDocOrEllipsisString(s: Node): boolean {
  if (s.type !== "string") return false;
  const prefix = (s.child(0)?.text ?? "").replace(/["']+$/, "").toLowerCase();
  return !prefix.includes("b") && !prefix.includes("f") && !s.namedChildren.some((c) => c.type === "interpolation");
}

/** Stops at the first real statement, so long bodies cost one or two node visits. */
function pythonTrivial(body: Node | null): boolean {
  for (let st = body?.firstNamedChild ?? null; st; st = st.nextNamedSibling) {
    if (st.type === "comment" || st.type === "pass_statement") continue;
    if (st.type === "expression_statement" && st.namedChildCount === 1 && isDocOrEllipsis(st.firstNamedChild!)) continue;
    return false;
  }
  return true;
}

function python(root: Node, out: FileUnits): void {
  const visit = (n: Node, className: string | undefined) => {
    const def = n.type === "decorated_definition" ? n.childForFieldName("definition") : n;
    if (!def) return;
    const body = def.childForFieldName("body");
    if (def.type === "function_definition") {
      out.units.push(unit(className ? "method" : "function", nameOf(def), n, def, n.startPosition.row, { className, trivial: pythonTrivial(body) }));
    } else if (def.type === "class_definition" && !className) {
      const name = nameOf(def);
      out.units.push(unit("class", name, n, def, n.startPosition.row, { trivial: pythonTrivial(body) }));
      for (const member of code(body)) visit(member, name);
    }
  };
  for (const n of root.namedChildren) {
    if (n.type === "ERROR") out.syntaxErrors++;
    else visit(n, undefined);
  }
}

// ---- braced languages --------------------------------------------------------------------

const emptyBody = (body: Node | null) => code(body).length === 0;

const JS_FUNCTIONS = new Set(["function_declaration", "generator_function_declaration"]);
const JS_CLASSES = new Set(["class_declaration", "abstract_class_declaration"]);
const JS_FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);

function jsClassMembers(body: Node | null, className: string, out: FileUnits): void {
  let decoratorRow: number | undefined;
  for (const m of code(body)) {
    if (m.type === "decorator") {
      decoratorRow ??= m.startPosition.row;
      continue;
    }
    const mBody = m.childForFieldName("body");
    if (m.type === "method_definition" && mBody) {
      out.units.push(unit("method", nameOf(m), m, m, decoratorRow ?? m.startPosition.row, { className, trivial: emptyBody(mBody) }));
    }
    decoratorRow = undefined;
  }
}

function javascript(root: Node, out: FileUnits): void {
  for (const top of root.namedChildren) {
    if (top.type === "ERROR") {
      out.syntaxErrors++;
      continue;
    }
    let decl: Node | null = top;
    let isDefault = false;
    if (top.type === "export_statement") {
      decl = top.childForFieldName("declaration") ?? top.childForFieldName("value");
      isDefault = top.children.some((c) => c.type === "default");
    }
    if (!decl) continue;
    const startRow = top.startPosition.row;
    const named = (n: Node) => nameOf(n) || (isDefault ? "default" : "");
    if (JS_FUNCTIONS.has(decl.type)) {
      out.units.push(unit("function", named(decl), top, decl, startRow, { trivial: emptyBody(decl.childForFieldName("body")) }));
    } else if (JS_CLASSES.has(decl.type) || (isDefault && decl.type === "class")) {
      const name = named(decl);
      const body = decl.childForFieldName("body");
      out.units.push(unit("class", name, top, decl, startRow, { trivial: emptyBody(body) }));
      jsClassMembers(body, name, out);
    } else if (decl.type === "lexical_declaration" && decl.child(0)?.type === "const") {
      for (const d of decl.namedChildren) {
        const value = d.type === "variable_declarator" ? d.childForFieldName("value") : null;
        if (value && JS_FUNCTION_VALUES.has(value.type)) {
          const body = value.childForFieldName("body");
          out.units.push(unit("function", nameOf(d), top, decl, startRow, { trivial: body?.type === "statement_block" && emptyBody(body) }));
        }
      }
    } else if (isDefault && JS_FUNCTION_VALUES.has(decl.type)) {
      out.units.push(unit("function", "default", top, decl, startRow, { trivial: emptyBody(decl.childForFieldName("body")) }));
    }
  }
}

/** The receiver's type name of a Go method: `(s *Server)` -> "Server". */
function goReceiver(method: Node): string {
  const param = method.childForFieldName("receiver")?.namedChildren.find((c) => c.type === "parameter_declaration");
  const type = param?.childForFieldName("type")?.text ?? "";
  return type.replace(/^\*/, "").replace(/\[.*$/, "");
}

function go(root: Node, out: FileUnits): void {
  for (const n of root.namedChildren) {
    if (n.type === "ERROR") out.syntaxErrors++;
    else if (n.type === "function_declaration") {
      out.units.push(unit("function", nameOf(n), n, n, n.startPosition.row, { trivial: emptyBody(n.childForFieldName("body")) }));
    } else if (n.type === "method_declaration") {
      out.units.push(unit("method", nameOf(n), n, n, n.startPosition.row, { className: goReceiver(n), trivial: emptyBody(n.childForFieldName("body")) }));
    }
  }
}

const RUST_TEST_ATTR = /^#\[\s*(?:[\w]+::)*test\b/;

/** Walks items, attaching each run of `#[...]` attributes to the function after it. */
function rustItems(items: Node[], each: (fn: Node, startRow: number, testAttr: boolean) => void, other?: (n: Node) => void): void {
  let attrRow: number | undefined;
  let testAttr = false;
  for (const n of items) {
    if (n.type === "attribute_item") {
      attrRow ??= n.startPosition.row;
      testAttr ||= RUST_TEST_ATTR.test(n.text);
      continue;
    }
    if (n.type === "function_item") each(n, attrRow ?? n.startPosition.row, testAttr);
    else other?.(n);
    attrRow = undefined;
    testAttr = false;
  }
}

function rust(root: Node, out: FileUnits): void {
  rustItems(
    code(root),
    (fn, row, testAttr) => out.units.push(unit("function", nameOf(fn), fn, fn, row, { testAttr, trivial: emptyBody(fn.childForFieldName("body")) })),
    (n) => {
      if (n.type === "ERROR") out.syntaxErrors++;
      if (n.type !== "impl_item") return;
      const className = (n.childForFieldName("type")?.text ?? "").replace(/<.*$/, "");
      rustItems(code(n.childForFieldName("body")), (fn, row, testAttr) =>
        out.units.push(unit("method", nameOf(fn), fn, fn, row, { className, testAttr, trivial: emptyBody(fn.childForFieldName("body")) })),
      );
    },
  );
}

const JAVA_TYPES = new Set(["class_declaration", "interface_declaration", "enum_declaration", "record_declaration"]);
const JAVA_METHODS = new Set(["method_declaration", "constructor_declaration", "compact_constructor_declaration"]);

function java(root: Node, out: FileUnits): void {
  for (const n of root.namedChildren) {
    if (n.type === "ERROR") out.syntaxErrors++;
    if (!JAVA_TYPES.has(n.type)) continue;
    const name = nameOf(n);
    const body = n.childForFieldName("body");
    out.units.push(unit("class", name, n, n, n.startPosition.row, { trivial: emptyBody(body) }));
    // Enum bodies keep their methods in an enum_body_declarations child.
    const members = code(body).flatMap((m) => (m.type === "enum_body_declarations" ? code(m) : [m]));
    for (const m of members) {
      const mBody = m.childForFieldName("body");
      if (JAVA_METHODS.has(m.type) && mBody) {
        out.units.push(unit("method", nameOf(m), m, m, m.startPosition.row, { className: name, trivial: emptyBody(mBody) }));
      }
    }
  }
}

const BY_LANG: Record<Lang, (root: Node, out: FileUnits) => void> = {
  python,
  typescript: javascript,
  tsx: javascript,
  javascript,
  go,
  rust,
  java,
};

export function extractUnits(root: Node, lang: Lang, lines: string[]): FileUnits {
  const out: FileUnits = { units: [], syntaxErrors: 0 };
  currentLines = lines;
  try {
    BY_LANG[lang](root, out);
  } finally {
    currentLines = [];
  }
  return out;
}
