import { describe, it } from "vitest";
import { ADMIN, api, uniqueProject } from "../helpers/api";
import { countedRequest } from "../helpers/round-trips";
import { call } from "../helpers/trackio";

// A run the isolate has written to is found again without a D1 lookup: the trackio client's
// steady state (a batch every ~0.5 s with run_id, steps and no config) is one D1 round trip.

const runId = () => crypto.randomUUID().replaceAll("-", "");
const batch = (project: string, id: string, from: number, n: number, config: Record<string, unknown> | null = null) => ({
  kwargs: {
    logs: Array.from({ length: n }, (_, k) => ({ project, run: "tr", run_id: id, metrics: { loss: from + k }, step: from + k, config: k === 0 ? config : null, log_id: `${id}-${from + k}` })),
  },
});

describe("Trackio run identity", () => {
  it("a run's later batches cost one D1 round trip and no object call", async ({ expect }) => {
    const p = uniqueProject("ti");
    const id = runId();
    const first = await countedRequest("POST", "/api/bulk_log", batch(p, id, 0, 10, { lr: 0.1 }));
    expect(first.status).toBe(200);
    expect(first.trips.d1).toBeGreaterThan(1); // created: mapped, inserted, then written
    const next = await countedRequest("POST", "/api/bulk_log", batch(p, id, 10, 100));
    expect(next).toMatchObject({ status: 200, json: { data: null } });
    expect(next.trips).toMatchObject({ d1: 1, do: 0, do_d1: 0 });
    const run = (await api("GET", `/v1/projects/${p}/runs/${id}`)).json;
    expect(run).toMatchObject({ id, name: "tr", config: { lr: 0.1 }, last_step: 109, log_count: 110 });
  });

  it("a run deleted after the isolate remembered it is created again by its next write", async ({ expect }) => {
    const p = uniqueProject("ti");
    const id = runId();
    const token = { token: ADMIN };
    expect((await call("bulk_log", batch(p, id, 0, 5).kwargs, token)).status).toBe(200);
    expect((await call("delete_run", { project: p, run: "tr", run_id: id }, token)).json).toEqual({ data: true });
    expect((await api("GET", `/v1/projects/${p}/runs/${id}`)).status).toBe(404);
    expect((await call("bulk_log", batch(p, id, 5, 5).kwargs, token)).status).toBe(200);
    const run = (await api("GET", `/v1/projects/${p}/runs/${id}`)).json;
    expect(run).toMatchObject({ id, name: "tr", last_step: 9, log_count: 5 });
  });
});
