import type { WebhookKind } from "../contract";
import { badRequest } from "../errors";

/** Trackio's detection, by substring of the whole URL (trackio/alerts.py `_is_slack_url`, `_is_discord_url`). */
export function detectKind(url: string): WebhookKind {
  if (url.includes("hooks.slack.com")) return "slack";
  if (url.includes("discord.com/api/webhooks") || url.includes("discordapp.com/api/webhooks")) return "discord";
  return "generic";
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** `ALLOW_LOOPBACK_WEBHOOKS` is a string var; only the exact value "true" opens loopback. */
export const loopbackAllowed = (env: Pick<Env, "ALLOW_LOOPBACK_WEBHOOKS">) => String(env.ALLOW_LOOPBACK_WEBHOOKS) === "true";

/** A user-supplied webhook URL that checkWebhookUrl refuses is a 400 naming its field (`path`), before anything is written. */
export function assertSafeWebhookUrl(env: Pick<Env, "ALLOW_LOOPBACK_WEBHOOKS">, url: string, path: string) {
  const check = checkWebhookUrl(url, { allowLoopback: loopbackAllowed(env) });
  if (!check.ok) throw badRequest(`Invalid body: ${path}: ${check.reason}`, [{ path, message: check.reason }]);
}

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
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
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

/** The IPv4 address held in words `i` and `i + 1`. */
const v4At = (w: number[], i: number) => [w[i] >> 8, w[i] & 0xff, w[i + 1] >> 8, w[i + 1] & 0xff];

function blockedIpv6(w: number[]): boolean {
  const first = w[0];
  if (w.every((x) => x === 0)) return true; // ::
  if (w.slice(0, 7).every((x) => x === 0) && w[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the embedded IPv4 address.
  const mapped = w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff;
  const nat64 = first === 0x64 && w[1] === 0xff9b;
  if (mapped || nat64) return blockedIpv4(v4At(w, 6));
  // 6to4 (2002:V4HI:V4LO::/48) is routed to the IPv4 address it embeds.
  if (first === 0x2002) return blockedIpv4(v4At(w, 1));
  // 2001::/23 holds Teredo (2001:0::/32, which tunnels to an embedded, inverted IPv4 client) and
  // other IETF protocol assignments: never a webhook receiver.
  if (first === 0x2001 && w[1] < 0x200) return true;
  // An ISATAP interface id (…:0:5efe:a.b.c.d, or 200:5efe) names an IPv4 tunnel endpoint.
  if ((w[4] === 0 || w[4] === 0x200) && w[5] === 0x5efe && blockedIpv4(v4At(w, 6))) return true;
  if ((first & 0xfe00) === 0xfc00) return true; // ULA fc00::/7
  if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && w[1] === 0x0db8) return true; // documentation
  return (first & 0xe000) !== 0x2000; // anything outside global unicast 2000::/3
}

const SLACK_HOSTS = new Set(["hooks.slack.com", "hooks.slack-gov.com"]);
const DISCORD_HOSTS = new Set(["discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com", "canary.discordapp.com", "ptb.discordapp.com"]);

/**
 * How many leading path segments of a URL are safe to show; the rest is its secret. Decided by
 * parsing the URL (host in any case, trailing dot or slash, any suffix), whatever its declared
 * kind: a Slack URL subscribed as `generic` is just as much a bearer credential. A URL declared
 * Slack or Discord on another host keeps only its first segment.
 * - Slack: `/services/T…/B…/<token>`: the workspace and channel ids; `/workflows/…` and others: one.
 * - Discord: `/api[/v10]/webhooks/<id>/<token>[/slack|/github]`: up to the id.
 */
function visibleSegments(url: URL, segments: string[], kind: WebhookKind): number | null {
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (SLACK_HOSTS.has(host)) return segments[0]?.toLowerCase() === "services" && segments.length >= 4 ? 3 : 1;
  if (DISCORD_HOSTS.has(host)) {
    const at = segments.findIndex((s) => s.toLowerCase() === "webhooks");
    return at < 0 ? 1 : at + 2;
  }
  return kind === "generic" ? null : 1;
}

/**
 * A URL as listings and the delivery log show it: Slack and Discord webhook URLs are bearer
 * credentials (the token is in the path), and any URL may carry one in its query or fragment.
 */
export function redactUrl(raw: string, kind: WebhookKind): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "(invalid url)";
  }
  const base = `${url.protocol}//${url.host}`;
  const query = url.search || url.hash ? "?…" : "";
  const segments = url.pathname.split("/").filter((s) => s.length > 0);
  const visible = visibleSegments(url, segments, kind);
  if (visible === null) return `${base}${url.pathname}${query}`;
  const shown = segments.slice(0, visible);
  const hidden = segments.length > visible;
  return `${base}/${shown.join("/")}${hidden ? "/…" : ""}${query}`;
}
