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
    "ctxc init my-project --from ~/src/their-repo   a pipeline for that repository's code and docs",
  ];

export default defineCommand({
  meta: {
    name: "init",
    description:
      "Write a commented starter pipeline.toml into DIR (default: the current folder); with --from REPO, one for that repository: its languages (with counts), its Markdown docs, the excludes its .gitignore implies.",
  },
  args: {
    dir: { type: "positional", description: "Folder to write pipeline.toml into", required: false, default: "." },
    force: { type: "boolean", description: "Overwrite an existing pipeline.toml" },
    from: { type: "string", description: "A repository (folder) to write the pipeline for, instead of the generic starter" },
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
    if (args.from) {
      const { pipelineForRepo, surveyRepo } = await import("./init-from.ts");
      const survey = surveyRepo(args.from);
      await Bun.write(file, pipelineForRepo(survey, dir, `ctxc init ${args.dir ?? "."} --from ${args.from}`));
      const found = [...survey.languages.map((l) => `${l.files} ${l.lang}`), `${survey.markdown} Markdown`].join(", ");
      log.info(`${survey.repo}: ${found} files; ${survey.excludes.length} exclude globs from .gitignore`);
    } else {
      await Bun.write(file, starter);
    }
    log.success(`wrote ${file} — next: ctxc validate ${file}`);
    return 0;
  },
});
