import { resolveConnection } from "../../connection";
import { Client } from "../../client";
import { leaf, UsageError } from "../_args";
import { writeConfig } from "../config";
import { print } from "../output";

export const login = leaf({
  name: "login",
  description: "Check a server URL and API key, then store them (owner-only file) for later commands",
  args: {},
  async run({ args }) {
    if (!args.url) throw new UsageError("login needs --url <server URL>");
    if (!args.token) throw new UsageError("login needs --token <API key>");
    const conn = resolveConnection({ url: args.url, token: args.token });
    // An unreachable server or a refused key fails here, before anything is written.
    await new Client(conn).projects.list();
    const file = writeConfig({ url: conn.url, token: conn.token ?? undefined });
    print(args, { url: conn.url, config: file }, (d) => `Logged in to ${d.url}; saved to ${d.config}.`);
  },
});
