// generator/rules: the deterministic baseline compressor every trained student must beat. No
// model, no network: code loses comments, docstrings, blank lines and padding (Python still
// parses, to the same AST); prose loses redundant phrasing and fillers but never a number, a
// name or a negation; mixed text gets each rule set where it belongs. The rules live in
// src/text/rules/ (docs/plugins/generator-rules.md lists them and their measured ratios).
import { defineGenerator, v } from "../../src/sdk/index.ts";
import { compressRules } from "../../src/text/rules/document.ts";

const options = v.object({
  strip_comments: v.pipe(
    v.optional(v.boolean(), true),
    v.description("Drop code comments (Python #, C-family // and /* */; string literals are never touched)."),
  ),
  strip_docstrings: v.pipe(
    v.optional(v.boolean(), true),
    v.description("Drop Python docstrings (leading string statements of a module, def or class); an emptied body becomes `...`."),
  ),
  drop_articles: v.pipe(
    v.optional(v.boolean(), false),
    v.description('Drop the articles "a", "an", "the" from prose (kept in quantities such as "a few" and "twice a week").'),
  ),
  indent: v.pipe(
    v.optional(v.picklist(["keep", "one"]), "keep"),
    v.description('Code indentation: "keep" as written, or "one" space per nesting level.'),
  ),
  code_blocks: v.pipe(
    v.optional(v.picklist(["compress", "verbatim"]), "compress"),
    v.description('Code inside prose (fenced blocks, unfenced code lines): "compress" with the code rules, or keep "verbatim".'),
  ),
});

export default defineGenerator({
  name: "generator/rules",
  version: "1",
  description: "Deterministic baseline compressor: code comments/docstrings/whitespace, prose fillers and redundant phrasing.",
  options,
  generate(doc, opts) {
    const compressed = compressRules({ text: doc.text, domain: doc.domain, lang: doc.source.lang, path: doc.source.path }, opts);
    doc.compressed = compressed;
    doc.scores.char_ratio = doc.text.length === 0 ? 1 : compressed.length / doc.text.length;
    doc.meta.generator = "generator/rules";
    return doc;
  },
});
