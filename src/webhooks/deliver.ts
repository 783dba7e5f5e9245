import type { WebhookKind } from "../contract";
import { parseRetryAfter } from "./backoff";
import { checkWebhookUrl } from "./targets";

/** What one POST came to. `deliver` never throws: a network error is an outcome too. */
export type Outcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; status: number | null; error: string; retryAfterSeconds: number | null }
  | { kind: "failed"; status: number | null; error: string; disable: string | null };

export type DeliveryRequest = {
  url: string;
  kind: WebhookKind;
  body: string;
  headers: Record<string, string>;
  allowLoopback: boolean;
};

/** Trackio's timeout, and GitHub's: receivers are expected to answer within 10 s. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Retried: the receiver may answer differently later (reference/platform-and-peers.md §4.2). */
const isTransient = (status: number) => status === 408 || status === 429 || status >= 500;

export async function deliver(req: DeliveryRequest): Promise<Outcome> {
  // Checked again here: a run's webhook_url is not checked when the run is created, and the
  // deployment's loopback setting may have changed since a subscription was made.
  const check = checkWebhookUrl(req.url, { allowLoopback: req.allowLoopback });
  if (!check.ok) return { kind: "failed", status: null, error: `refused: ${check.reason}`, disable: null };

  let res: Response;
  try {
    res = await fetch(check.url.href, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Trackflare-Webhooks/1", ...req.headers },
      body: req.body,
      // A redirect could lead to an address the URL check would have refused.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: "retry", status: null, error: describeFetchError(err, req.url), retryAfterSeconds: null };
  }

  const status = res.status;
  if (status >= 200 && status < 300) {
    await discard(res);
    return { kind: "delivered", status };
  }
  if (isTransient(status)) {
    // Discord's body value is the precise one; its Retry-After header (and Slack's) is whole seconds.
    const fromBody = status === 429 && req.kind === "discord" ? await discordRetryAfter(res) : null;
    if (fromBody === null) await discard(res);
    return { kind: "retry", status, error: `HTTP ${status}`, retryAfterSeconds: fromBody ?? parseRetryAfter(res.headers.get("retry-after")) };
  }
  await discard(res);
  if (status >= 300 && status < 400) return { kind: "failed", status, error: `HTTP ${status}: redirects are not followed`, disable: null };
  // Discord: "If a webhook returns a 404 … you should not attempt to use it again" (its rate-limits doc).
  // 410 Gone says the same for any receiver.
  if ((status === 404 && req.kind === "discord") || status === 410) {
    return { kind: "failed", status, error: `HTTP ${status}`, disable: `${req.kind} webhook answered ${status}: it no longer exists` };
  }
  return { kind: "failed", status, error: `HTTP ${status}`, disable: null };
}

/** Discord's 429 body: `{message, retry_after: <float seconds>, global}` (discord-api-docs rate-limits.md). */
async function discordRetryAfter(res: Response): Promise<number | null> {
  try {
    const text = await res.text();
    const body = JSON.parse(text.slice(0, 4096)) as { retry_after?: unknown };
    return typeof body.retry_after === "number" && Number.isFinite(body.retry_after) ? body.retry_after : null;
  } catch {
    return null;
  }
}

async function discard(res: Response) {
  try {
    await res.body?.cancel();
  } catch {
    // nothing to free
  }
}

/** Never echoes the URL: Slack and Discord URLs are credentials. */
function describeFetchError(err: unknown, url: string): string {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s`;
  let message = String(e?.message ?? err ?? "unknown error");
  for (const secret of [url, pathOf(url)]) if (secret && secret !== "/") message = message.split(secret).join("<url>");
  return `network error: ${message.slice(0, 200)}`;
}

function pathOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return null;
  }
}
