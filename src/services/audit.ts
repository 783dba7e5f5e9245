import type { z } from "zod";
import { AUDIT_RETENTION_DAYS, parseTimestamp, type AuditAction, type AuditPage, type AuditQuery } from "../contract";
import { formatTimestamp } from "../contract/time";
import { canSeeProject, hasScope, requireScope, type Principal } from "../auth/principal";
import { insertAudit, listAudit } from "../db/audit";
import { badRequest } from "../errors";
import type { Svc } from "./context";

const RETENTION_US = AUDIT_RETENTION_DAYS * 86_400 * 1_000_000;

/**
 * Records a write with the key that made it. Calls without an actor (the object's own work) are
 * not audited: nobody asked for them. Awaited, so an audited write is visible as soon as its
 * request returns.
 */
export async function audit(
  s: Svc,
  project: string | null,
  action: AuditAction,
  target: string | null,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  if (!s.actor) return;
  await insertAudit(
    s.db,
    { project, keyId: s.actor.keyId, keyName: s.actor.keyName, action, target, detail, at: formatTimestamp(s.nowUs), atUs: s.nowUs },
    s.nowUs - RETENTION_US,
  );
}

/** The name a write is credited to (notes' author). */
export const actorName = (s: Svc) => s.actor?.keyName ?? "system";

/**
 * Admin keys read every entry; a write key reads its own projects' entries (an unlimited write
 * key: every project's, but not key management); read keys are refused.
 */
export async function readAudit(s: Svc, caller: Principal, q: z.output<typeof AuditQuery>): Promise<AuditPage> {
  requireScope(caller, "write");
  let sinceUs: number | undefined;
  if (q.since !== undefined) {
    const us = parseTimestamp(q.since);
    if (us === null) throw badRequest("Invalid query: since: not a valid ISO-8601 instant", [{ path: "since", message: "not a valid ISO-8601 instant" }]);
    sinceUs = us;
  }
  if (q.project !== undefined && !canSeeProject(caller, q.project)) return { entries: [] };
  // A key limited to projects sees those; an unlimited admin key sees everything, keys included.
  const projects = caller.projects ?? (hasScope(caller, "admin") ? undefined : "any-project");
  return { entries: await listAudit(s.db, { project: q.project, projects, sinceUs, limit: q.limit }) };
}
