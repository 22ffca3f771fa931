// `import path from "x.wasm" with { type: "file" }` gives a path Bun.file can read; in a
// `bun build --compile` binary the file is embedded and the path points into the binary.
declare module "*.wasm" {
  const path: string;
  export default path;
}
