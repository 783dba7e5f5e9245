import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "../client";
import { envVar } from "../connection";
import { UsageError } from "./_args";

export type StoredConfig = { url?: string; token?: string };

/** $TRACKFLARE_CONFIG, else $XDG_CONFIG_HOME/trackflare/config.json, else ~/.config/trackflare/config.json. */
export function configPath(): string {
  const explicit = envVar("TRACKFLARE_CONFIG");
  if (explicit) return explicit;
  const base = envVar("XDG_CONFIG_HOME") ?? path.join(os.homedir(), ".config");
  return path.join(base, "trackflare", "config.json");
}

export function readConfig(): StoredConfig {
  const file = configPath();
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data !== "object" || data === null) throw new Error("not an object");
    const { url, token } = data as Record<string, unknown>;
    return { url: typeof url === "string" ? url : undefined, token: typeof token === "string" ? token : undefined };
  } catch (err) {
    throw new UsageError(`Config file ${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}); fix it or run 'trackflare login' again`);
  }
}

/** Writes the file with owner-only permissions: it holds an API key. */
export function writeConfig(cfg: StoredConfig): string {
  const file = configPath();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cfg, null, 2) + "\n", { mode: 0o600 });
  fs.chmodSync(tmp, 0o600); // the mode above is masked by the umask
  fs.renameSync(tmp, file);
  return file;
}

/** Flags first, then the environment, then the config file (each of URL and key on its own). */
export function cliClient(args: { url?: string; token?: string }): Client {
  const env = { url: envVar("TRACKFLARE_URL") ?? envVar("TRACKIO_SERVER_URL"), token: envVar("TRACKFLARE_TOKEN") ?? envVar("TRACKIO_WRITE_TOKEN") };
  const needFile = !(args.url ?? env.url) || !(args.token ?? env.token);
  const file = needFile ? readConfig() : {};
  const url = args.url ?? env.url ?? file.url;
  if (!url) throw new UsageError("No server URL: pass --url, set TRACKFLARE_URL, or run 'trackflare login --url <url> --token <key>'");
  return new Client({ url, token: args.token ?? env.token ?? file.token ?? null });
}
