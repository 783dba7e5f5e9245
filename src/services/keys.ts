import type { z } from "zod";
import type { CreateKey, CreatedKey } from "../contract";
import { generateKey, keyPrefix, sha256Hex } from "../auth/tokens";
import { insertKey, revokeKey } from "../db/keys";
import { audit } from "./audit";
import type { Svc } from "./context";

/** Creates a key and returns it once; only its SHA-256 is stored. */
export async function createKey(s: Svc, body: z.output<typeof CreateKey>): Promise<CreatedKey> {
  const key = generateKey();
  const info = await insertKey(s.db, {
    id: `key_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
    name: body.name,
    hash: await sha256Hex(key),
    prefix: keyPrefix(key),
    scope: body.scope,
    projects: body.projects ?? null,
  });
  await audit(s, null, "key.create", info.id, { name: info.name, scope: info.scope, projects: info.projects });
  return { ...info, key };
}

/** Revokes a key (it stops working at once); null when there is no such key. */
export async function revokeApiKey(s: Svc, id: string) {
  const revoked = await revokeKey(s.db, id);
  if (revoked) await audit(s, null, "key.revoke", id, { name: revoked.name });
  return revoked;
}
