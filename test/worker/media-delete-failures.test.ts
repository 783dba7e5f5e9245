import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { ApiError } from "../../src/errors";
import { deleteObject, runPrefix } from "../../src/media/storage";
import { svc } from "../../src/services/context";
import { deleteRun } from "../../src/services/runs";
import { api, createRun, uniqueProject } from "../helpers/api";

// Local R2 does not fail on its own, so its deletes are made to fail here: the real bucket, with
// `delete` refusing its first `failures` calls (Infinity: every call). Everything else is real.
function failingDeletes(failures: number): { bucket: R2Bucket; calls: () => number } {
  let calls = 0;
  const bucket = new Proxy(env.MEDIA, {
    get(target, prop) {
      if (prop === "delete")
        return (keys: string | string[]) => {
          if (++calls <= failures) return Promise.reject(new Error("R2 is unavailable (injected)"));
          return target.delete(keys);
        };
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { bucket, calls: () => calls };
}

const keysUnder = async (prefix: string) => (await env.MEDIA.list({ prefix })).objects.map((o) => o.key).sort();

describe("media deletion when R2 fails", () => {
  it("deletes a run once R2's deletes succeed again, retrying the failures", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const prefix = runPrefix(p, run.id);
    for (const k of ["0/a.png", "1/b.png", "2/c.wav"]) await env.MEDIA.put(`${prefix}${k}`, "x");
    const r2 = failingDeletes(2);
    await expect(deleteRun(svc({ ...env, MEDIA: r2.bucket }), p, run.id)).resolves.toMatchObject({ deleted: true, id: run.id });
    expect(r2.calls()).toBeGreaterThan(2);
    expect(await keysUnder(prefix)).toEqual([]);
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).status).toBe(404);
  });

  it("answers 503 and deletes nothing else while R2 keeps failing", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const prefix = runPrefix(p, run.id);
    await env.MEDIA.put(`${prefix}0/a.png`, "x");
    const err = await deleteRun(svc({ ...env, MEDIA: failingDeletes(Infinity).bucket }), p, run.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).message).toMatch(/Retry the request/);
    expect(await keysUnder(prefix)).toEqual([`${prefix}0/a.png`]);
    const still = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(still.status).toBe(200);
    expect(still.json).toMatchObject({ id: run.id, name: "r" });
  });

  it("retries a single object's delete, and gives up quietly on an object nobody references", async ({ expect }) => {
    await env.MEDIA.put("orphans/one", "x");
    await env.MEDIA.put("orphans/two", "x");
    await deleteObject(failingDeletes(3).bucket, "orphans/one");
    expect(await keysUnder("orphans/")).toEqual(["orphans/two"]);
    await expect(deleteObject(failingDeletes(Infinity).bucket, "orphans/two")).resolves.toBeUndefined();
    expect(await keysUnder("orphans/")).toEqual(["orphans/two"]);
  });
});
