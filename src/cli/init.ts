import { defineCommand } from "citty";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CtxcError, EXIT } from "../core/errors.ts";
import { log } from "../core/log.ts";
import starter from "./templates/pipeline.toml" with { type: "text" };
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

export const examples = [
    "ctxc init",
    "ctxc init my-project && ctxc validate my-project/pipeline.toml",
  ];

export default defineCommand({
  meta: {
    name: "init",
    description:
      "Write a commented starter pipeline.toml into DIR (default: the current folder).",
  },
  args: {
    dir: { type: "positional", description: "Folder to write pipeline.toml into", required: false, default: "." },
    force: { type: "boolean", description: "Overwrite an existing pipeline.toml" },
    ...verbosityArgs,
  },
  // Errors go to main.ts, which reports them (message, hint, exit code) like every command's.
  async run({ args }) {
    applyVerbosity(args);
    const dir = resolve(args.dir ?? ".");
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new CtxcError(`${dir} is a file, not a folder`, { hint: "ctxc init DIR writes DIR/pipeline.toml: give a folder (to check an existing pipeline file, run `ctxc validate FILE`)", exitCode: EXIT.invalid });
    }
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "pipeline.toml");
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new CtxcError(`${file} is a folder`, { hint: "ctxc init writes a file called pipeline.toml there; rename the folder or choose another one", exitCode: EXIT.invalid });
    }
    if (existsSync(file) && !args.force) {
      throw new CtxcError(`${file} already exists`, { hint: "pass --force to overwrite it, or choose another folder", exitCode: EXIT.invalid });
    }
    await Bun.write(file, starter);
    log.success(`wrote ${file} — next: ctxc validate ${file}`);
    return 0;
  },
});
