import type { WebhookJob } from "../webhooks/job";
import { logFailure } from "../log";

// Queues' sendBatch takes at most 100 messages and 256 KB (reference/platform-and-peers.md §1.3);
// the byte budget leaves room for per-message metadata.
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 200_000;

export type Outgoing = { id: string; job: WebhookJob; bytes: number };

/**
 * Sends jobs to the webhooks queue in as few `sendBatch` calls as the limits allow. Returns the ids
 * that were accepted and those whose batch failed; it never throws, so the caller (the outbox) can
 * keep the failed ones for a later attempt.
 */
export async function sendJobs(queue: Queue<unknown>, jobs: Outgoing[]): Promise<{ sent: string[]; failed: string[] }> {
  const sent: string[] = [];
  const failed: string[] = [];
  for (const chunk of chunks(jobs)) {
    try {
      await queue.sendBatch(chunk.map((j) => ({ body: j.job, contentType: "json" as const })));
      sent.push(...chunk.map((j) => j.id));
    } catch (err) {
      logFailure("webhooks: queue send failed", err, chunk.length);
      failed.push(...chunk.map((j) => j.id));
    }
  }
  return { sent, failed };
}

function* chunks(jobs: Outgoing[]): Generator<Outgoing[]> {
  let chunk: Outgoing[] = [];
  let bytes = 0;
  for (const job of jobs) {
    if (chunk.length && (chunk.length === MAX_BATCH_MESSAGES || bytes + job.bytes > MAX_BATCH_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(job);
    bytes += job.bytes;
  }
  if (chunk.length) yield chunk;
}
