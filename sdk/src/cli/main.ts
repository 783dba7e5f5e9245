import { renderUsage, runCommand, type ArgsDef, type CommandDef } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { APIError, TrackflareError } from "../errors";
import { checkFlags, GLOBAL_BOOLEAN_FLAGS, GLOBAL_VALUE_FLAGS, UsageError } from "./_args";
import { diagnose } from "./commands/diagnose";
import { get } from "./commands/get";
import { keys } from "./commands/keys";
import { list } from "./commands/list";
import { login } from "./commands/login";
import { note } from "./commands/note";
import { rules } from "./commands/rules";
import { runs } from "./commands/runs";
import { wait } from "./commands/wait";
import { watch } from "./commands/watch";
import { webhooks } from "./commands/webhooks";

const root: CommandDef = {
  meta: { name: "trackflare", version: pkg.version, description: "Trackflare CLI: read experiments, wait for and watch alerts, manage keys and webhooks" },
  subCommands: { list, get, watch, wait, diagnose, note, runs, rules, keys, webhooks, login },
};

/**
 * Global flags may come before the command (`trackflare --json list projects`), as Trackio
 * allows; every leaf declares them, so they are moved after the command path.
 */
function hoistGlobals(argv: string[]): string[] {
  const rest: string[] = [];
  const globals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    // Trackio's `--space <url>` names the server too.
    const flag = tok.split("=")[0] === "--space" ? "--url" : tok.split("=")[0];
    if (GLOBAL_BOOLEAN_FLAGS.has(flag)) globals.push(tok);
    else if (GLOBAL_VALUE_FLAGS.has(flag)) {
      globals.push(tok.includes("=") ? `${flag}=${tok.slice(tok.indexOf("=") + 1)}` : flag);
      if (!tok.includes("=") && i + 1 < argv.length) globals.push(argv[++i]);
    } else rest.push(tok);
  }
  return [...rest, ...globals];
}

/** The command the positional words name, and its parent (for usage). */
async function resolveCommand(argv: string[]): Promise<[CommandDef, CommandDef | undefined, string[]]> {
  let cmd = root;
  let parent: CommandDef | undefined;
  const path: string[] = [];
  for (const tok of argv) {
    if (tok.startsWith("-")) continue;
    const subs = cmd.subCommands as Record<string, CommandDef> | undefined;
    if (!subs?.[tok]) break;
    parent = cmd === root ? undefined : cmd;
    cmd = subs[tok];
    path.push(tok);
  }
  return [cmd, parent, path];
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

function describeError(err: unknown): string {
  if (err instanceof APIError) return err.describe();
  if (err instanceof Error) return stripAnsi(err.message);
  return String(err);
}

/** The one place errors are caught: `Error: …` on stderr, exit code 1; stdout stays clean. */
async function main(argv: string[]) {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    process.stdout.write(`trackflare ${pkg.version}\n`);
    return;
  }
  const args = hoistGlobals(argv);
  const [cmd, parent, path] = await resolveCommand(args);
  if (args.includes("--help") || args.includes("-h") || args.length === 0) {
    process.stdout.write(`${stripAnsi(await renderUsage(cmd, parent))}\n`);
    return;
  }
  try {
    if (cmd.subCommands && !cmd.run) {
      const next = args.find((a) => !a.startsWith("-") && !path.includes(a));
      const choices = Object.keys(cmd.subCommands as object).join("|");
      const name = ["trackflare", ...path].join(" ");
      throw new UsageError(next ? `Unknown command '${next}' for '${name}'. Expected one of: ${choices}` : `'${name}' needs a command: ${choices}. Run '${name} --help'.`);
    }
    const rest = args.slice(args.indexOf(path[path.length - 1]) + 1);
    checkFlags(["trackflare", ...path].join(" "), (await cmd.args) as ArgsDef, rest);
    await runCommand(root, { rawArgs: args });
  } catch (err) {
    if (!(err instanceof TrackflareError || err instanceof UsageError || err instanceof APIError) && process.env.TRACKFLARE_DEBUG) console.error(err);
    process.stderr.write(`Error: ${describeError(err)}\n`);
    process.exitCode = 1;
  }
}

// `trackflare watch alerts --json | head -3`: a closed pipe ends the command quietly.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

await main(process.argv.slice(2));
