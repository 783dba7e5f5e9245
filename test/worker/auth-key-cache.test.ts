import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { ACCEPTED_TTL_MS } from "../../src/auth/accepted";
import { authenticate } from "../../src/auth/middleware";
import { api, createKey, uniqueProject } from "../helpers/api";

// An accepted key is answered per isolate for ACCEPTED_TTL_MS without D1; revocation takes effect
// at once through this isolate and within that bound through any other.

/** Revokes a key straight in D1, as a DELETE handled by another isolate would. */
async function revokeElsewhere(key: string) {
  const prefix = key.slice(0, 10);
  const r = await env.DB.prepare("UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE prefix = ?").bind(prefix).run();
  if (r.meta.changes !== 1) throw new Error("key not found in D1");
}

describe("accepted-key cache", () => {
  it("a key revoked in another isolate keeps working until the bound, and not after it", async ({ expect }) => {
    expect(ACCEPTED_TTL_MS).toBeLessThanOrEqual(10_000);
    const key = await createKey("write");
    const t0 = Date.now();
    expect(await authenticate(env, key, undefined, t0)).toMatchObject({ scope: "write" });
    await revokeElsewhere(key);
    // Within the bound the isolate still answers from its cache (no D1 query)…
    expect(await authenticate(env, key, undefined, t0 + ACCEPTED_TTL_MS - 1)).toMatchObject({ scope: "write" });
    // …and at the bound it asks D1 again, which says revoked.
    expect(await authenticate(env, key, undefined, t0 + ACCEPTED_TTL_MS)).toBeNull();
    expect(await authenticate(env, key, undefined, t0 + ACCEPTED_TTL_MS + 1)).toBeNull();
  });

  it("a key revoked through this isolate is refused at once", async ({ expect }) => {
    const project = uniqueProject("kc");
    const key = await createKey("write");
    expect((await api("GET", `/v1/projects/${project}/runs`, { token: key })).status).toBe(404);
    const { json } = await api("GET", "/v1/keys");
    const id = json.keys.find((k: { prefix: string }) => k.prefix === key.slice(0, 10)).id;
    expect((await api("DELETE", `/v1/keys/${id}`)).status).toBe(200);
    const after = await api("GET", `/v1/projects/${project}/runs`, { token: key });
    expect(after.status).toBe(401);
  });

  it("the cached answer keeps the key's scope and projects", async ({ expect }) => {
    const project = uniqueProject("kc");
    const key = await createKey("read", [project]);
    const now = Date.now();
    const first = await authenticate(env, key, undefined, now);
    const cached = await authenticate(env, key, undefined, now + 1);
    expect(first).toEqual({ keyId: expect.any(String), keyName: "read-key", scope: "read", projects: [project] });
    expect(cached).toEqual(first);
    expect((await api("POST", `/v1/projects/${project}/runs`, { token: key, body: { name: "r" } })).status).toBe(403);
    expect((await api("GET", `/v1/projects/other-${project}/runs`, { token: key })).status).toBe(404);
  });
});
