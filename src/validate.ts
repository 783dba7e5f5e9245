import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { isTooLargeIssue } from "./contract/limits";
import { AppendLogs } from "./contract/logs";
import { ApiError } from "./errors";
import { fastValidLogs } from "./ingest/check-logs";

/** Issues as `{path, message}` with the field named, for the one error shape. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = "") {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join(".");
    return { path, message: i.message };
  });
}

export function describeIssues(target: string, issues: readonly z.core.$ZodIssue[]) {
  const details = issuesToDetails(issues);
  const first = details[0];
  const where = first?.path ? `${first.path}: ` : "";
  // A size limit breached is a 413 (the client must send less), anything else a 400.
  const code = issues.some(isTooLargeIssue) ? ("payload_too_large" as const) : ("invalid_request" as const);
  return { code, message: `Invalid ${target}: ${where}${first?.message ?? "malformed"}`, details };
}

/** zod-validator that throws the one error shape (unhooked, it would answer with its own). */
export const valid = <T extends z.ZodType, K extends keyof ValidationTargets>(target: K, schema: T) =>
  zValidator(target, schema, (r) => {
    if (!r.success) {
      const { code, message, details } = describeIssues(target === "json" ? "body" : target, r.error.issues);
      throw new ApiError(code, message, details);
    }
  });

/** Parses with a schema outside a route (queue bodies, socket frames, protocol args). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, target = "body"): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const { code, message, details } = describeIssues(target, r.error.issues);
    throw new ApiError(code, message, details);
  }
  return r.data;
}

/**
 * `valid("json", AppendLogs)` with the hand-written check first (src/ingest/check-logs.ts): the
 * same body parse, the same verdicts, and zod's own error for anything it does not accept.
 */
export const validLogs = validator("json", (value) => (fastValidLogs(value) ? value : parseOrThrow(AppendLogs, value)));
