import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import worker from "../../src/index";
import type { WebhookJob } from "../../src/webhooks/job";

export { verifyStandardWebhook } from "./standard-webhooks";

export type Captured = { url: string; method: string; headers: Record<string, string>; body: string; redirect: string | undefined };

/** A response to build per call: a Response made in one request's context cannot be read in another's. */
export type ReplySpec = { body: BodyInit | null; init: ResponseInit };
export const reply = (body: BodyInit | null = "ok", init: ResponseInit = {}): ReplySpec => ({ body, init });

type Reply = ReplySpec | Error | ((call: Captured) => ReplySpec | Error);

/**
 * Intercepts outbound fetch (the queue handler runs in the test isolate). Each call takes the next
 * reply; the last one repeats. An Error reply rejects, as a network failure does.
 */
export function mockFetch(...replies: Reply[]) {
  const calls: Captured[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const call: Captured = {
      url: req.url,
      method: req.method,
      headers: Object.fromEntries(req.headers),
      body: await req.text(),
      redirect: init?.redirect,
    };
    calls.push(call);
    const r = replies[Math.min(calls.length - 1, replies.length - 1)] ?? reply();
    const value = typeof r === "function" ? r(call) : r;
    if (value instanceof Error) throw value;
    return new Response(value.body, value.init);
  });
  return { calls, restore: () => spy.mockRestore() };
}

let seq = 0;
export function makeJob(overrides: Partial<WebhookJob> & { alert?: Partial<WebhookJob["alert"]> } = {}): WebhookJob {
  const n = seq++;
  const { alert, ...rest } = overrides;
  return {
    delivery_id: `dlv_test${Date.now().toString(16)}${n}`,
    project: "hooks",
    webhook_id: null,
    url: "https://receiver.example/hook",
    kind: "generic",
    created_at: "2026-11-28T16:57:00+00:00",
    ...rest,
    alert: {
      alert_id: `a${n}`,
      level: "warn",
      title: "loss spike",
      text: "loss 9.1",
      run: "r1",
      run_id: null,
      step: 7,
      timestamp: "2026-11-28T16:57:00.911818+00:00",
      ...alert,
    },
  };
}

/**
 * Runs the Worker's queue handler on a real MessageBatch and returns the ack/retry decisions, plus
 * the delay each retry asked for (getQueueResult reports only the message ids).
 */
export async function runQueue(queue: string, messages: { id: string; body: unknown; attempts?: number }[]) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const delays: Record<string, number | undefined> = {};
  for (const msg of batch.messages) {
    const original = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((opts?: QueueRetryOptions) => {
      delays[msg.id] = opts?.delaySeconds;
      original(opts);
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}
