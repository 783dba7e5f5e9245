import { and, desc, eq, gt, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { AuditAction, AuditEntry } from "../contract";
import type { Db } from "./client";
import { auditLog } from "./schema";

export type AuditRecord = {
  project: string | null;
  keyId: string | null;
  keyName: string;
  action: AuditAction;
  target: string | null;
  detail: Record<string, unknown> | null;
  at: string;
  atUs: number;
};

type AuditRow = typeof auditLog.$inferSelect;

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  project: r.project,
  key_id: r.keyId,
  key_name: r.keyName,
  action: r.action as AuditAction,
  target: r.target,
  detail: (r.detail ?? null) as AuditEntry["detail"],
  at: r.at,
});

/** At most this many expired rows go per write, so pruning never makes one write slow. */
const PRUNE_PER_WRITE = 100;

/** Appends an entry and prunes expired ones, in one D1 round trip. */
export async function insertAudit(db: Db, rec: AuditRecord, expireBeforeUs: number): Promise<void> {
  const expired = db.select({ id: auditLog.id }).from(auditLog).where(lt(auditLog.atUs, expireBeforeUs)).orderBy(auditLog.atUs).limit(PRUNE_PER_WRITE);
  await db.batch([db.insert(auditLog).values(rec), db.delete(auditLog).where(inArray(auditLog.id, expired))]);
}

export type AuditFilter = {
  /** Only these projects' entries (a write key's view); undefined: every entry. */
  projects?: string[] | "any-project";
  project?: string;
  sinceUs?: number;
  limit: number;
};

/** Newest first. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (f.project !== undefined) where.push(eq(auditLog.project, f.project));
  if (f.projects === "any-project") where.push(isNotNull(auditLog.project));
  else if (f.projects) where.push(f.projects.length ? inArray(auditLog.project, f.projects) : sql`0`);
  if (f.sinceUs !== undefined) where.push(gt(auditLog.atUs, f.sinceUs));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.atUs), desc(auditLog.id))
    .limit(f.limit);
  return rows.map(toEntry);
}
