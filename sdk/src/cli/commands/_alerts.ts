import type { Alert } from "../../../../src/contract";
import type { AlertFilter } from "../../resources/alerts";
import { intFlag, levelFlag } from "../_args";
import { table } from "../output";

/** The alert filters common to list/get/wait/watch, validated. */
export function alertFilter(args: Record<string, unknown>): AlertFilter {
  return {
    run: args.run as string | undefined,
    level: levelFlag(args, "level"),
    minLevel: levelFlag(args, "min-level"),
    since: args.since as string | undefined,
    cursor: intFlag(args, "cursor"),
  };
}

/** Trackio's alerts view: `Found N alert(s):`, a `|`-separated header, 80 dashes, one row each. */
export function alertsView(alerts: readonly Pick<Alert, "timestamp" | "run" | "level" | "title" | "text" | "step">[]): string {
  if (!alerts.length) return "No alerts found.";
  const rows = alerts.map((a) => `${a.timestamp} | ${a.run ?? ""} | ${a.level.toUpperCase()} | ${a.title} | ${a.text ?? ""} | ${a.step ?? ""}`);
  return [`Found ${alerts.length} alert(s):`, "Timestamp | Run | Level | Title | Text | Step", "-".repeat(80), ...rows].join("\n");
}

/** One live alert as a line (watch without --json). */
export const alertLine = (a: Alert) =>
  `${a.timestamp}  ${a.level.toUpperCase().padEnd(5)}  ${a.run ?? "-"}  ${a.title}${a.text ? `: ${a.text}` : ""}${a.step !== null ? ` (step ${a.step})` : ""}  [cursor ${a.cursor}]`;

export const alertTable = (alerts: readonly Alert[]) => table(alerts as unknown as Record<string, unknown>[], ["cursor", "timestamp", "run", "level", "title", "text", "step"]);
