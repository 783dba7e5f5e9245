import { defineCommand, type ArgsDef, type CommandContext, type CommandDef } from "citty";
import { toAlertLevel } from "../alert-level";

/** A mistake in how the CLI was called: printed as `Error: …` with exit code 1, like any other error. */
export class UsageError extends Error {}

/** Flags every command takes, before or after the command name (main.ts moves them to the end). */
export const globalArgs = {
  json: { type: "boolean", description: "Print one JSON document (NDJSON for watch) instead of a table" },
  url: { type: "string", description: "Server URL (default: TRACKFLARE_URL, then the config file); --space is accepted too" },
  token: { type: "string", description: "API key (default: TRACKFLARE_TOKEN, then the config file)" },
} as const satisfies ArgsDef;

export const GLOBAL_VALUE_FLAGS = new Set(["--url", "--token"]);
export const GLOBAL_BOOLEAN_FLAGS = new Set(["--json"]);

export const projectArg = { project: { type: "string", required: true, description: "Project name" } } as const satisfies ArgsDef;
export const runArg = { run: { type: "string", required: true, description: "Run name or id (a name means its newest run)" } } as const satisfies ArgsDef;

export const alertFilterArgs = {
  run: { type: "string", description: "Only this run's alerts (name or id)" },
  level: { type: "string", description: "Only this level: info, warn or error" },
  "min-level": { type: "string", description: "This level or above" },
  since: { type: "string", description: "Strictly after this ISO-8601 time" },
  cursor: { type: "string", description: "Strictly after this alert cursor (from next_cursor)" },
} as const satisfies ArgsDef;

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * citty accepts any flag (node:util parseArgs with strict: false), so a typo such as `--proejct`
 * would be ignored silently, or reported as a missing `--project`. main.ts checks the raw
 * arguments against what the command declares before citty parses them.
 */
export function checkFlags(name: string, argsDef: ArgsDef, rawArgs: readonly string[]) {
  const known = new Set<string>();
  const booleans = new Set<string>();
  for (const [key, def] of Object.entries(argsDef)) {
    if (def.type === "positional") continue;
    const aliases = [(def as { alias?: string | string[] }).alias ?? []].flat();
    for (const n of [key, kebab(key), camel(key), ...aliases]) {
      known.add(n);
      if (def.type === "boolean") {
        booleans.add(n);
        known.add(`no-${n}`);
      }
    }
  }
  for (let i = 0; i < rawArgs.length; i++) {
    const tok = rawArgs[i];
    if (tok === "--") break;
    if (!tok.startsWith("-") || /^-\d/.test(tok)) continue;
    const flag = tok.replace(/^--?/, "").split("=")[0];
    if (!known.has(flag)) throw new UsageError(`Unknown option '${tok.split("=")[0]}' for '${name}'. Run '${name} --help' for its options.`);
    if (!booleans.has(flag) && !flag.startsWith("no-") && !tok.includes("=")) i++; // skip the value
  }
}

/** After parsing: string flags need values, and no stray positional arguments. */
function checkParsed(name: string, argsDef: ArgsDef, ctx: CommandContext<ArgsDef>) {
  let positionals = 0;
  for (const [key, def] of Object.entries(argsDef)) {
    if (def.type === "positional") positionals++;
    else if (def.type === "string" && ctx.args[key] === "") throw new UsageError(`Option '--${kebab(key)}' needs a value`);
  }
  const extra = ctx.args._.slice(positionals);
  if (extra.length) throw new UsageError(`Unexpected argument '${extra[0]}' for '${name}'. Run '${name} --help' for usage.`);
}

/** A command that takes the global flags and rejects unknown ones. */
export function leaf<const T extends ArgsDef>(def: {
  name: string;
  description: string;
  args: T;
  run: (ctx: CommandContext<T & typeof globalArgs>) => Promise<void> | void;
}): CommandDef<T & typeof globalArgs> {
  const args = { ...def.args, ...globalArgs } as T & typeof globalArgs;
  return defineCommand({
    // Usage reads "<group meta name> <this name>", e.g. "trackflare list projects".
    meta: { name: def.name.split(" ").pop(), description: def.description },
    args,
    async run(ctx) {
      checkParsed(`trackflare ${def.name}`, args, ctx as unknown as CommandContext<ArgsDef>);
      await def.run(ctx);
    },
  });
}

/** A group of subcommands (`list`, `get`, …). */
export function group(name: string, description: string, subCommands: Record<string, CommandDef<any>>): CommandDef {
  return defineCommand({ meta: { name: `trackflare ${name}`, description }, subCommands });
}

/** `--step 5` → 5; absent → undefined; anything but a non-negative integer → a UsageError naming the flag. */
export function intFlag(args: Record<string, unknown>, name: string, opts: { min?: number } = {}): number | undefined {
  const raw = args[name] ?? args[camel(name)];
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const n = Number(s);
  const min = opts.min ?? 0;
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`Option '--${name}' must be an integer >= ${min}, got '${String(raw)}'`);
  return n;
}

export function numberFlag(args: Record<string, unknown>, name: string): number | undefined {
  const raw = args[name] ?? args[camel(name)];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`Option '--${name}' must be a number >= 0, got '${String(raw)}'`);
  return n;
}

export function levelFlag(args: Record<string, unknown>, name: string): string | undefined {
  const raw = args[name] ?? args[camel(name)];
  if (raw === undefined) return undefined;
  const l = toAlertLevel(raw);
  if (!l) throw new UsageError(`Option '--${name}' must be info, warn or error, got '${String(raw)}'`);
  return l;
}
