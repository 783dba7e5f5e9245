import { TrackflareError } from "./errors";

/** Where the server is and which key to present. */
export type Connection = { url: string; token: string | null };

/** Reads an environment variable in any runtime (Node, Bun, Deno with env access); undefined elsewhere. */
export function envVar(name: string): string | undefined {
  try {
    const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return v === "" ? undefined : v;
  } catch {
    return undefined; // Deno without --allow-env throws
  }
}

/**
 * Arguments first, then TRACKFLARE_URL / TRACKFLARE_TOKEN, then Trackio's TRACKIO_SERVER_URL /
 * TRACKIO_WRITE_TOKEN, so a script written for Trackio's self-hosted server works unchanged.
 * A `?write_token=` in the URL (Trackio's share links) is moved out of the URL into the token.
 */
export function resolveConnection(opts: { url?: string | null; token?: string | null } = {}): Connection {
  const rawUrl = opts.url ?? envVar("TRACKFLARE_URL") ?? envVar("TRACKIO_SERVER_URL");
  if (!rawUrl) throw new TrackflareError("No server URL: pass `url`, or set TRACKFLARE_URL (or TRACKIO_SERVER_URL)");
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new TrackflareError(`Invalid server URL '${rawUrl}': it must be an http(s) URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TrackflareError(`Invalid server URL '${rawUrl}': it must be an http(s) URL`);
  const urlToken = parsed.searchParams.get("write_token") ?? parsed.searchParams.get("token");
  parsed.search = "";
  parsed.hash = "";
  const url = parsed.toString().replace(/\/+$/, "");
  const token = opts.token ?? urlToken ?? envVar("TRACKFLARE_TOKEN") ?? envVar("TRACKIO_WRITE_TOKEN") ?? null;
  return { url, token };
}
