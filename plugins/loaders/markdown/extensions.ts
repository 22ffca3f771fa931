// The file extensions loader/markdown reads; also what `ctxc init --from` counts as docs.
export const MARKDOWN_EXTENSIONS = [".md", ".markdown", ".mdx"];
