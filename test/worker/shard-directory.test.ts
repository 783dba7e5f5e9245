import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { svc } from "../../src/services/context";
import { PRIMARY_SHARD, SHARD_TTL_MS, projectDatabase, projectShard, shardDatabase } from "../../src/shards/directory";
import { createRun, uniqueProject } from "../helpers/api";

// The shard directory routes a project to the D1 binding its row names, the primary by default,
// and remembers the answer for a bounded time.

const setShard = (project: string, shard: string) => env.DB.prepare("UPDATE projects SET shard = ? WHERE name = ?").bind(shard, project).run();

describe("shard directory", () => {
  it("puts a new project, and one D1 does not know yet, in the primary database", async ({ expect }) => {
    const p = uniqueProject("sh");
    await createRun(p, { name: "r" });
    const row = await env.DB.prepare("SELECT shard FROM projects WHERE name = ?").bind(p).first<{ shard: string }>();
    expect(row?.shard).toBe(PRIMARY_SHARD);
    expect(await projectDatabase(svc(env), p)).toBe(env.DB);
    expect(await projectShard(svc(env), uniqueProject("unknown"))).toBe(PRIMARY_SHARD);
  });

  it("follows the project's row once its remembered answer expires, and refuses a name that is no D1 binding", async ({ expect }) => {
    const p = uniqueProject("sh");
    await createRun(p, { name: "r" });
    const t0 = Date.now();
    expect(await projectShard(svc(env), p, t0)).toBe("DB");
    await setShard(p, "MEDIA");
    // Within the bound the remembered shard answers without D1.
    expect(await projectShard(svc(env), p, t0 + SHARD_TTL_MS - 1)).toBe("DB");
    expect(await projectShard(svc(env), p, t0 + SHARD_TTL_MS)).toBe("MEDIA");
    // MEDIA is an R2 bucket, NOPE nothing at all: a deployment error naming the shard.
    await expect(projectDatabase(svc(env), p, t0 + SHARD_TTL_MS)).rejects.toThrow("'MEDIA' is not a D1 binding");
    expect(() => shardDatabase(env, "NOPE")).toThrow("'NOPE' is not a D1 binding");
    await setShard(p, "DB");
    expect(await projectDatabase(svc(env), p, t0 + 3 * SHARD_TTL_MS)).toBe(env.DB);
  });
});
