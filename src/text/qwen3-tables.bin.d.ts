// `import path from "./qwen3-tables.bin" with { type: "file" }` gives the file's path (under
// /$bunfs in the compiled binary, which embeds the file).
declare const path: string;
export default path;
