import { describe, it } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";

describe("creating runs concurrently", () => {
  it("makes exactly one run of ten concurrent `resume: allow` creates of one name, in every trial", async ({ expect }) => {
    for (let trial = 0; trial < 5; trial++) {
      const p = uniqueProject("allow");
      const answers = await Promise.all(Array.from({ length: 10 }, () => api("POST", `/v1/projects/${p}/runs`, { body: { name: "same", resume: "allow" } })));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(9);
      expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
      expect((await api("GET", `/v1/projects/${p}/runs`)).json.runs).toHaveLength(1);
    }
  });

  it("makes one run of concurrent creates with the same client id, resuming it for the others", async ({ expect }) => {
    const p = uniqueProject("sameid");
    const id = crypto.randomUUID().replaceAll("-", "");
    const answers = await Promise.all(Array.from({ length: 8 }, () => api("POST", `/v1/projects/${p}/runs`, { body: { id, name: "r" } })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => a.json.id === id)).toBe(true);
    expect((await api("GET", `/v1/projects/${p}/runs`)).json.runs).toHaveLength(1);
  });

  it("answers a run id that another project holds with 409 naming id, and creates nothing", async ({ expect }) => {
    const a = uniqueProject("own");
    const b = uniqueProject("other");
    const run = await createRun(a, { name: "r" });
    const r = await api("POST", `/v1/projects/${b}/runs`, { body: { id: run.id, name: "x" } });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: "conflict", details: [{ path: "id" }] });
    expect((await api("GET", `/v1/projects/${b}`)).status).toBe(404);
    expect((await api("GET", `/v1/projects/${a}/runs/${run.id}`)).json.name).toBe("r");
  });
});
