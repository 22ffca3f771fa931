// Strict command lines. citty parses leniently (node's parseArgs with strict: false): an unknown
// flag, a string flag without its value, or a stray word is silently dropped — and once
// `ctxc run p.toml --estimat` (a typo of --estimate) ran the paid stage. So before a command runs,
// its raw arguments are checked against the `args` it declares, the one source of truth: a flag
// added to a command later is covered without touching this file.
//
//   - every `--flag` / `-f` is declared (in kebab or camel case, or as an alias);
//   - a string or enum flag has a non-empty value (`--only` at the end, or followed by another
//     flag, has none), an enum value is one of its `options`;
//   - a boolean takes no value, except `--flag=true|false`;
//   - a string flag whose `valueHint` is "N" is a whole number (≥ 0);
//   - no more positionals than the command declares (after `--`, everything is positional), unless
//     one is variadic (its valueHint ends in "...");
//   - with `subCommands`, the first positional picks one and the rest is checked against it.
// A violation throws a CtxcError (exit 2) naming the flag and the nearest valid one.
import type { ArgDef, CommandDef } from "citty";
import { CtxcError, EXIT } from "../core/errors.ts";
import { nearest } from "../text/suggest.ts";

/** `valueHint`s that carry a type the checker enforces (they also show in `--help`). */
export const VALUE_TYPES: Record<string, { test: (v: string) => boolean; what: string }> = {
  N: { test: (v) => /^\d+$/.test(v), what: "a whole number (0, 1, 2, …)" },
};

interface Flag {
  name: string;
  def: ArgDef;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every spelling a declared flag answers to -> the flag. */
function flagTable(args: Record<string, ArgDef>): Map<string, Flag> {
  const table = new Map<string, Flag>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const aliases = "alias" in def && def.alias !== undefined ? (Array.isArray(def.alias) ? def.alias : [def.alias]) : [];
    for (const spelling of [name, camel(name), kebab(name), ...aliases]) table.set(spelling, { name, def });
  }
  return table;
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

function refuse(message: string, hint: string): never {
  throw new CtxcError(message, { hint, exitCode: EXIT.invalid });
}

/**
 * Checks `argv` (the words after the command name) against `cmd`'s declared args; throws a
 * CtxcError (exit 2) at the first problem. `path` is the command as typed, for the hints.
 */
export async function checkArgv(cmd: CommandDef<any>, argv: string[], path: string): Promise<void> {
  const args = (await resolve(cmd.args ?? {})) as Record<string, ArgDef>;
  const subCommands = cmd.subCommands ? await resolve(cmd.subCommands) : undefined;
  const flags = flagTable(args);
  const help = `run \`${path} --help\` for its flags`;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-" || /^-\d/.test(word)) {
      if (subCommands && positionals.length === 0 && word in subCommands) {
        const sub = await resolve(subCommands[word]!);
        return checkArgv(sub as CommandDef<any>, argv.slice(i + 1), `${path} ${word}`);
      }
      positionals.push(word);
      continue;
    }
    const long = word.startsWith("--");
    const eq = word.indexOf("=");
    const spelled = long ? word.slice(2, eq < 0 ? undefined : eq) : word.slice(1, 2);
    const inline = long ? (eq < 0 ? undefined : word.slice(eq + 1)) : word.length > 2 ? word.slice(2).replace(/^=/, "") : undefined;
    const negated = long && spelled.startsWith("no-") && flags.get(spelled.slice(3))?.def.type === "boolean";
    const flag = flags.get(negated ? spelled.slice(3) : spelled);
    if (!flag) {
      const known = [...new Set([...flags.values()].map((f) => `--${f.name}`))];
      const guess = nearest(`--${spelled}`, known);
      refuse(`\`${path}\` has no flag ${long ? "--" : "-"}${spelled}`, guess ? `did you mean \`${guess}\`? (${help})` : `its flags: ${known.join(", ")}; ${help}`);
    }
    const shown = `--${flag.name}`;
    if (flag.def.type === "boolean") {
      if (inline === undefined) continue;
      // `-qv`: short booleans grouped in one word.
      if (!long) {
        const odd = [...inline].find((c) => flags.get(c)?.def.type !== "boolean");
        if (odd === undefined) continue;
        refuse(`\`${path}\` has no switch -${odd} (in ${word})`, help);
      }
      if (long && !negated && (inline === "true" || inline === "false")) continue;
      refuse(`${shown} is a switch and takes no value (got "${inline}")`, `write ${shown} alone${negated ? "" : `, or --no-${flag.name}`}`);
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && (!next.startsWith("-") || next === "-" || /^-\d/.test(next))) {
        value = next;
        i++;
      }
    }
    const example = flag.def.type === "enum" && flag.def.options?.length ? flag.def.options[0]! : flag.def.valueHint ? `<${flag.def.valueHint}>` : "VALUE";
    if (value === undefined || value === "") refuse(`${shown} needs a value`, `write ${shown} ${example} (${help})`);
    if (flag.def.type === "enum" && flag.def.options?.length && !flag.def.options.includes(value)) {
      const guess = nearest(value, flag.def.options);
      refuse(`${shown} must be one of ${flag.def.options.join(", ")}, not "${value}"`, guess ? `did you mean \`${shown} ${guess}\`?` : help);
    }
    const type = flag.def.valueHint ? VALUE_TYPES[flag.def.valueHint] : undefined;
    if (type && !type.test(value)) refuse(`${shown} must be ${type.what}, not "${value}"`, `e.g. ${shown} 5 (${help})`);
  }
  const declared = Object.entries(args).filter(([, d]) => d.type === "positional");
  // A positional whose valueHint ends in "..." (e.g. `RUN...`) takes every remaining word.
  const variadic = declared.some(([, d]) => /(\.\.\.|…)$/.test(d.valueHint ?? ""));
  if (!variadic && positionals.length > declared.length) {
    const extra = positionals.slice(declared.length);
    const names = declared.map(([n]) => n.toUpperCase()).join(" ");
    const sub = subCommands ? nearest(positionals[0]!, Object.keys(subCommands)) : undefined;
    refuse(
      `\`${path}\` takes ${declared.length === 0 ? "no arguments" : `at most ${declared.length} argument${declared.length === 1 ? "" : "s"} (${names})`}, but got ${extra.map((w) => `"${w}"`).join(", ")} too`,
      sub ? `did you mean \`${path} ${sub}\`?` : `remove ${extra.length === 1 ? "it" : "them"}, or quote a path with spaces (${help})`,
    );
  }
}
