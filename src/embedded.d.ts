// Files embedded in the binary as text (`import x from "./f.py" with { type: "text" }`).
declare module "*.py" {
  const text: string;
  export default text;
}
