// One web-tree-sitter runtime per process and one parser per language, made on first use from the
// embedded .wasm bytes (never fetched or located on disk by web-tree-sitter itself).
import { Language, Parser } from "web-tree-sitter";
import { GRAMMAR_WASM, RUNTIME_WASM, type Lang } from "./languages.ts";

let runtime: Promise<void> | undefined;
const parsers = new Map<Lang, Promise<Parser>>();

function initRuntime(): Promise<void> {
  runtime ??= Bun.file(RUNTIME_WASM)
    .arrayBuffer()
    .then((wasmBinary) => Parser.init({ wasmBinary } as object));
  return runtime;
}

export function parserFor(lang: Lang): Promise<Parser> {
  let parser = parsers.get(lang);
  if (!parser) {
    parser = (async () => {
      await initRuntime();
      const language = await Language.load(await Bun.file(GRAMMAR_WASM[lang]).bytes());
      const p = new Parser();
      p.setLanguage(language);
      return p;
    })();
    parsers.set(lang, parser);
  }
  return parser;
}
