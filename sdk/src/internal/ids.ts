/** 32 lowercase hex digits, the form of Trackio's uuid4 hex run/alert ids. */
export function hexId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
