import { group, leaf, UsageError } from "../_args";
import { cliClient } from "../config";
import { keyValues, note, print, table } from "../output";

const create = leaf({
  name: "keys create",
  description: "Create an API key (admin); the key is shown once",
  args: {
    name: { type: "string", required: true, description: "A label for the key" },
    scope: { type: "string", required: true, description: "read, write or admin" },
    projects: { type: "string", description: "Comma-separated projects the key is limited to (default: all)" },
  },
  async run({ args }) {
    if (!["read", "write", "admin"].includes(args.scope)) throw new UsageError(`Option '--scope' must be read, write or admin, got '${args.scope}'`);
    const projects = args.projects?.split(",").map((p) => p.trim()).filter(Boolean);
    const key = await cliClient(args).keys.create({ name: args.name, scope: args.scope as "read", projects: projects?.length ? projects : undefined });
    if (!args.json) note("Store this key now: it is not shown again.");
    print(args, key, (k) => keyValues(k));
  },
});

const list = leaf({
  name: "keys list",
  description: "List API keys (admin); keys themselves are never shown",
  args: {},
  async run({ args }) {
    const res = await cliClient(args).keys.list();
    print(args, res, (d) =>
      d.keys.length ? table(d.keys, ["id", "name", "scope", "projects", "prefix", "created_at", "last_used_at", "revoked_at"]) : "No keys found.",
    );
  },
});

const revoke = leaf({
  name: "keys revoke",
  description: "Revoke an API key by id (admin)",
  args: { id: { type: "positional", required: true, description: "The key's id (from keys list)" } },
  async run({ args }) {
    const res = await cliClient(args).keys.revoke(args.id);
    print(args, res, (k) => `Revoked key ${k.id} (${k.name}).`);
  },
});

export const keys = group("keys", "Create, list or revoke API keys (admin)", { create, list, revoke });
