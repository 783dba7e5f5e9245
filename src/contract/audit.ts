import { z } from "zod";
import { IsoTimestamp, ProjectName, QueryInt } from "./common";

/** Entries older than this are pruned as new ones are written. */
export const AUDIT_RETENTION_DAYS = 90;

export const AuditAction = z.enum([
  "run.create",
  "run.resume",
  "run.rename",
  "run.finish",
  "run.stop",
  "run.delete",
  "note.add",
  "rule.add",
  "rule.remove",
  "webhook.add",
  "webhook.rotate_secret",
  "webhook.remove",
  "settings.update",
  "key.create",
  "key.revoke",
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  id: z.number().int(),
  /** null: not about one project (API keys). */
  project: z.string().nullable(),
  /** null: the deployment's ADMIN_TOKEN, which is no stored key. */
  key_id: z.string().nullable(),
  key_name: z.string(),
  action: AuditAction,
  /** What was acted on: a run id, a rule id, a webhook id, a key id. */
  target: z.string().nullable(),
  detail: z.record(z.string(), z.json()).nullable(),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  project: ProjectName.optional(),
  /** Strictly after this instant. */
  since: IsoTimestamp.optional(),
  limit: QueryInt("limit", 1, 1000).default(100),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export const AuditPage = z.object({ entries: z.array(AuditEntry) });
export type AuditPage = z.infer<typeof AuditPage>;
