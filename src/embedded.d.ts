// Files embedded in the binary as text (`import x from "./f.py" with { type: "text" }`).
declare module "*.py" {
  const text: string;
  export default text;
}

// Binary files embedded in the binary (`import path from "./m.bin" with { type: "file" }`): a path
// Bun.file() reads, inside the executable once compiled.
declare module "*.bin" {
  const path: string;
  export default path;
}
declare module "*.bin.gz" {
  const path: string;
  export default path;
}
declare module "*.wasm" {
  const path: string;
  export default path;
}
