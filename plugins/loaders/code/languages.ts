// The languages loader/code understands: file extensions and the embedded tree-sitter grammars.
// Grammars are imported with `type: "file"` so `bun build --compile` embeds the .wasm files and
// the compiled binary needs nothing on disk.
import runtimeWasm from "web-tree-sitter/web-tree-sitter.wasm" with { type: "file" };
import pythonWasm from "tree-sitter-python/tree-sitter-python.wasm" with { type: "file" };
import javascriptWasm from "tree-sitter-javascript/tree-sitter-javascript.wasm" with { type: "file" };
import typescriptWasm from "tree-sitter-typescript/tree-sitter-typescript.wasm" with { type: "file" };
import tsxWasm from "tree-sitter-typescript/tree-sitter-tsx.wasm" with { type: "file" };
import goWasm from "tree-sitter-go/tree-sitter-go.wasm" with { type: "file" };
import rustWasm from "tree-sitter-rust/tree-sitter-rust.wasm" with { type: "file" };
import javaWasm from "tree-sitter-java/tree-sitter-java.wasm" with { type: "file" };

export const LANGUAGES = ["python", "typescript", "tsx", "javascript", "go", "rust", "java"] as const;
export type Lang = (typeof LANGUAGES)[number];

export const RUNTIME_WASM: string = runtimeWasm;

export const GRAMMAR_WASM: Record<Lang, string> = {
  python: pythonWasm,
  typescript: typescriptWasm,
  tsx: tsxWasm,
  // The JavaScript grammar parses JSX too.
  javascript: javascriptWasm,
  go: goWasm,
  rust: rustWasm,
  java: javaWasm,
};

const BY_EXTENSION: Record<string, Lang> = {
  ".py": "python",
  ".pyi": "python",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
};

/** The language of a file by its extension, or undefined when loader/code does not parse it. */
export function languageOf(path: string): Lang | undefined {
  if (path.endsWith(".d.ts")) return undefined; // declarations only: no bodies to compress
  const dot = path.lastIndexOf(".");
  return dot < 0 ? undefined : BY_EXTENSION[path.slice(dot).toLowerCase()];
}

/** Extensions per language, for messages ("matches no python files (.py, .pyi)"). */
export function extensionsOf(langs: readonly Lang[]): string[] {
  return Object.entries(BY_EXTENSION)
    .filter(([, l]) => langs.includes(l))
    .map(([e]) => e);
}
