/**
 * What the Worker writes to its log about a failure: the error's class, its message without the
 * statement parameters drizzle appends (`params: …` held a run's webhook URL, a Slack token, and
 * 8 MB configs), its cause's message, and a few stack frames, in at most MAX_RECORD characters.
 * Never request bodies, headers or URL queries: keys travel in the last two.
 */
const MAX_RECORD = 2000;
const MAX_MESSAGE = 400;
const FRAMES = 6;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** A message without bound parameters or anything that looks like a URL with a secret in it. */
function scrub(message: string): string {
  const withoutParams = message.replace(/\n?\s*params:[\s\S]*$/i, "");
  return clip(withoutParams.replace(/\bhttps?:\/\/[^\s"'`]+/gi, "<url>").replace(/\btf_[A-Za-z0-9_-]{8,}/g, "<key>"), MAX_MESSAGE);
}

export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return clip(`non-error thrown: ${scrub(String(err))}`, MAX_RECORD);
  const parts = [`${err.name}: ${scrub(err.message)}`];
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) parts.push(`cause ${cause.name}: ${scrub(cause.message)}`);
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, FRAMES);
  return clip([...parts, ...frames.map((f) => clip(f.trim(), 200))].join("\n"), MAX_RECORD);
}

/** The one way to log a failure: `where` names the place, the error is described by `describeFailure`. */
export function logFailure(where: string, err: unknown, ...context: (string | number)[]): void {
  console.error(where, ...context.map((c) => clip(String(c), 120)), describeFailure(err));
}
