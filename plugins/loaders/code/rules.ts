// Which files and units loader/code keeps. Pure functions of a path or a unit, shared with the
// tests; test/plugins/loaders/ast_units.py implements the same rules with Python's ast.
import type { Lang } from "./languages.ts";
import type { UnitKind } from "./units.ts";

export interface UnitRules {
  units: UnitKind[];
  min_lines: number;
  max_lines: number;
  min_chars: number;
  max_chars: number;
  skip_tests: boolean;
  skip_dunders: boolean;
  skip_trivial: boolean;
}

const TEST_DIRS = new Set(["test", "tests", "__tests__"]);

/** Test files: `test_*`, `*_test.*`, `*.test.*`, `*.spec.*`, or inside test/tests/__tests__. */
export function isTestPath(local: string): boolean {
  const parts = local.split("/");
  const base = parts.pop() ?? "";
  if (parts.some((p) => TEST_DIRS.has(p))) return true;
  return base.startsWith("test_") || /_test\.[^.]+$/.test(base) || /\.(test|spec)\.[^.]+$/.test(base);
}

/** Code points, as Python's len() counts them (a JS string's length counts UTF-16 units). */
export function charCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const isDunder = (name: string) => name.length > 4 && name.startsWith("__") && name.endsWith("__");

interface Candidate {
  kind: UnitKind;
  name: string;
  start: number;
  end: number;
  text: string;
  error: boolean;
  trivial: boolean;
  testAttr: boolean;
}

/** Why a unit is dropped (a `skipped:<reason>` counter name), or null to keep it. */
export function skipReason(u: Candidate, lang: Lang, r: UnitRules): string | null {
  if (!r.units.includes(u.kind)) return "unit_kind";
  if (u.error) return "syntax_error";
  if (r.skip_tests && (u.name.startsWith("test") || u.testAttr)) return "test";
  if (r.skip_dunders && lang === "python" && isDunder(u.name)) return "dunder";
  if (r.skip_trivial && u.trivial) return "trivial";
  const lines = u.end - u.start + 1;
  const chars = charCount(u.text);
  if (lines < r.min_lines || chars < r.min_chars) return "too_short";
  if (lines > r.max_lines || chars > r.max_chars) return "too_long";
  return null;
}
