/**
 * `bun build/macho/check.ts [--repair [--replace-stale-cms]] FILE...` — verify (or repair) the code
 * signature of Mac binaries by hand; --replace-stale-cms swaps a stale Developer ID signature for an
 * ad-hoc one, as the build does. Exit 0 when every file is valid (after repair, with --repair), 1 otherwise.
 */
import { parseArgs } from "node:util";
import { MachOError } from "./errors.ts";
import { ensureValidSignature, verifyFile } from "./file.ts";
import { describeCheck } from "./verify.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  options: { repair: { type: "boolean", default: false }, "replace-stale-cms": { type: "boolean", default: false } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error("usage: bun build/macho/check.ts [--repair [--replace-stale-cms]] FILE...");
  process.exitCode = 2;
}
for (const path of positionals) {
  try {
    if (values.repair) {
      const result = await ensureValidSignature(path, { replaceStaleCmsSignature: values["replace-stale-cms"] });
      console.log(`${path}: ${result.repair ? "repaired" : "valid"}\n  ${result.lines.join("\n  ")}`);
    } else {
      const check = await verifyFile(path);
      console.log(`${path}: ${check.ok ? "valid" : "INVALID"}\n  ${describeCheck(check).join("\n  ")}`);
      if (!check.ok) process.exitCode = 1;
    }
  } catch (error) {
    if (!(error instanceof MachOError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
