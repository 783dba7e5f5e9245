/** Trackio's `AlertLevel`: members are the plain strings, so `AlertLevel.ERROR` and `"error"` are interchangeable. */
export const AlertLevel = { INFO: "info", WARN: "warn", ERROR: "error" } as const;
export type AlertLevel = (typeof AlertLevel)[keyof typeof AlertLevel];

/** `"ERROR"`, `" warn"`, `AlertLevel.INFO` → the level; anything else → null. */
export function toAlertLevel(level: unknown): AlertLevel | null {
  if (typeof level !== "string") return null;
  const l = level.trim().toLowerCase();
  return l === "info" || l === "warn" || l === "error" ? l : null;
}
