import { and, desc, eq, isNull } from "drizzle-orm";
import type { ApiKeyInfo, KeyScope } from "../contract";
import { nowTimestamp } from "../contract/time";
import type { Db } from "./client";
import { apiKeys } from "./schema";

type KeyRow = typeof apiKeys.$inferSelect;

const toInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  projects: r.projects ?? null,
  prefix: r.prefix,
  created_at: r.createdAt,
  last_used_at: r.lastUsedAt,
  revoked_at: r.revokedAt,
});

export async function findActiveKeyByHash(db: Db, hash: string) {
  return db.query.apiKeys.findFirst({ where: and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)) });
}

export async function insertKey(
  db: Db,
  key: { id: string; name: string; hash: string; prefix: string; scope: KeyScope; projects: string[] | null },
): Promise<ApiKeyInfo> {
  const [row] = await db.insert(apiKeys).values({ ...key, createdAt: nowTimestamp() }).returning();
  return toInfo(row);
}

export async function listKeys(db: Db): Promise<ApiKeyInfo[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toInfo);
}

/** Returns the revoked key, or null when no such key exists. */
export async function revokeKey(db: Db, id: string): Promise<ApiKeyInfo | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: nowTimestamp() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) return toInfo(row);
  const existing = await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, id) });
  return existing ? toInfo(existing) : null;
}

export async function touchKey(db: Db, id: string) {
  await db.update(apiKeys).set({ lastUsedAt: nowTimestamp() }).where(eq(apiKeys.id, id));
}
