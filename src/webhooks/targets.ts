import type { WebhookKind } from "../contract";

/** Trackio's detection, by substring of the whole URL (trackio/alerts.py `_is_slack_url`, `_is_discord_url`). */
export function detectKind(url: string): WebhookKind {
  if (url.includes("hooks.slack.com")) return "slack";
  if (url.includes("discord.com/api/webhooks") || url.includes("discordapp.com/api/webhooks")) return "discord";
  return "generic";
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** `ALLOW_LOOPBACK_WEBHOOKS` is a string var; only the exact value "true" opens loopback. */
export const loopbackAllowed = (env: Pick<Env, "ALLOW_LOOPBACK_WEBHOOKS">) => String(env.ALLOW_LOOPBACK_WEBHOOKS) === "true";

/**
 * SSRF guard for user-supplied webhook URLs (OWASP SSRF cheat sheet; reference/platform-and-peers.md §4.5).
 * A Worker's fetch cannot pin a resolved IP, so what can be checked is the URL itself: https only, no
 * credentials, no IP literal in a private, loopback, link-local (cloud metadata), CGNAT, ULA or
 * reserved range, and no local-only names. Plain http is accepted only to loopback, and only when the
 * deployment allows loopback (local development and tests). Redirects are refused at delivery time.
 */
export function checkWebhookUrl(raw: string, opts: { allowLoopback: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "url must be an absolute https URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "url must not contain credentials" };
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "url must use https" };
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (!host) return { ok: false, reason: "url must name a host" };
  const loopback = isLoopbackHost(host);
  if (loopback) {
    return opts.allowLoopback ? { ok: true, url } : { ok: false, reason: "url must not point to a loopback address" };
  }
  if (url.protocol !== "https:") {
    return { ok: false, reason: opts.allowLoopback ? "url must use https (plain http is allowed only to loopback)" : "url must use https" };
  }
  const refused = refusedHostReason(host);
  return refused ? { ok: false, reason: refused } : { ok: true, url };
}

function isLoopbackHost(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const v4 = parseIpv4(host);
  if (v4) return v4[0] === 127;
  const v6 = parseIpv6(host);
  return v6 !== null && v6.every((w, i) => (i === 7 ? w === 1 : w === 0));
}

function refusedHostReason(host: string): string | null {
  const v4 = parseIpv4(host);
  if (v4) return blockedIpv4(v4) ? `url must not point to a private, link-local or reserved address (${host})` : null;
  const v6 = parseIpv6(host);
  if (v6) return blockedIpv6(v6) ? `url must not point to a private, link-local or reserved address (${host})` : null;
  // Names that only resolve inside a network: cloud metadata (metadata.google.internal), mDNS.
  if (host.endsWith(".internal") || host === "internal" || host.endsWith(".local") || host.endsWith(".home.arpa")) {
    return `url must not point to an internal host name (${host})`;
  }
  return null;
}

/** The WHATWG URL parser already normalises 0x7f.1, 2130706433 and the like to dotted decimal. */
function parseIpv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function blockedIpv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // CGNAT 100.64/10
    (a === 169 && b === 254) || // link-local, cloud metadata 169.254.169.254
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF assignments, TEST-NET-1
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224 // multicast, reserved, broadcast
  );
}

/** Eight 16-bit words, or null. The URL parser has already validated and compressed the literal. */
function parseIpv6(host: string): number[] | null {
  if (!host.startsWith("[") || !host.endsWith("]")) return null;
  let text = host.slice(1, -1);
  // An embedded dotted quad (::ffff:1.2.3.4) is printed in hex by the URL parser, but accept both.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]);
    if (!v4) return null;
    text = text.slice(0, -dotted[1].length) + `${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = text.includes("::") ? 8 - h.length - t.length : 0;
  const words = [...h, ...Array(fill).fill("0"), ...t].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

function blockedIpv6(w: number[]): boolean {
  const first = w[0];
  if (w.every((x) => x === 0)) return true; // ::
  if (w.slice(0, 7).every((x) => x === 0) && w[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the embedded IPv4 address.
  const mapped = w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff;
  const nat64 = first === 0x64 && w[1] === 0xff9b;
  if (mapped || nat64) return blockedIpv4([w[6] >> 8, w[6] & 0xff, w[7] >> 8, w[7] & 0xff]);
  if ((first & 0xfe00) === 0xfc00) return true; // ULA fc00::/7
  if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && w[1] === 0x0db8) return true; // documentation
  return (first & 0xe000) !== 0x2000; // anything outside global unicast 2000::/3
}

/**
 * A URL as listings and the delivery log show it. Slack and Discord webhook URLs are bearer
 * credentials (the token is the last path segment), and generic URLs may carry one in the query.
 */
export function redactUrl(raw: string, kind: WebhookKind): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "(invalid url)";
  }
  const base = `${url.protocol}//${url.host}`;
  if (kind === "generic") return `${base}${url.pathname}${url.search ? "?…" : ""}`;
  const segments = url.pathname.split("/");
  if (segments.length > 2) segments[segments.length - 1] = "…";
  return `${base}${segments.join("/")}`;
}
