import { describe, it } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";
import { namedKey } from "../helpers/control";

type Entry = { action: string; key_id: string | null; key_name: string; project: string | null; target: string | null; detail: Record<string, unknown> | null };

async function auditOf(project: string, token?: string): Promise<Entry[]> {
  const r = await api("GET", `/v1/audit?project=${project}&limit=1000`, { token });
  if (r.status !== 200) throw new Error(`audit read failed: ${r.status} ${r.text}`);
  return r.json.entries;
}

describe("the audit log", () => {
  it("names the key for each kind of write", async ({ expect }) => {
    const p = uniqueProject();
    const w = await namedKey("trainer-7", "write", [p]);
    const t = w.key;
    const run = await createRun(p, { name: "a" }, t);
    await api("POST", `/v1/projects/${p}/runs`, { body: { name: "a", resume: "allow" }, token: t });
    await api("PATCH", `/v1/projects/${p}/runs/a`, { body: { name: "b" }, token: t });
    await api("POST", `/v1/projects/${p}/runs/b/notes`, { body: { text: "why" }, token: t });
    await api("POST", `/v1/projects/${p}/runs/b/stop`, { body: { reason: "enough" }, token: t });
    await api("POST", `/v1/projects/${p}/runs/b/finish`, { body: {}, token: t });
    const rule = await api("POST", `/v1/projects/${p}/rules`, { body: { metric: "loss", condition: { type: "gt", value: 10 }, level: "warn", title: "high" }, token: t });
    expect(rule.status).toBe(201);
    await api("DELETE", `/v1/projects/${p}/rules/${rule.json.id}`, { token: t });
    const hook = await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://hooks.slack.com/services/T0/B0/secretpart" }, token: t });
    expect(hook.status).toBe(201);
    await api("POST", `/v1/projects/${p}/webhooks/${hook.json.id}/rotate-secret`, { token: t });
    await api("DELETE", `/v1/projects/${p}/webhooks/${hook.json.id}`, { token: t });
    await api("PATCH", `/v1/projects/${p}/settings`, { body: { stale_after: 120 }, token: t });
    await api("DELETE", `/v1/projects/${p}/runs/b`, { token: t });

    const entries = await auditOf(p);
    const actions = entries.map((e) => e.action).reverse();
    expect(actions).toEqual([
      "run.create", "run.resume", "run.rename", "note.add", "run.stop", "run.finish", "rule.add", "rule.remove",
      "webhook.add", "webhook.rotate_secret", "webhook.remove", "settings.update", "run.delete",
    ]);
    for (const e of entries) expect(e).toMatchObject({ key_id: w.id, key_name: "trainer-7", project: p });
    expect(entries.find((e) => e.action === "run.create")!.target).toBe(run.id);
    expect(entries.find((e) => e.action === "run.rename")!.detail).toEqual({ from: "a", to: "b" });
    expect(entries.find((e) => e.action === "run.stop")!.detail).toEqual({ reason: "enough" });
    // A Slack URL is a credential: the audit keeps it masked.
    expect(JSON.stringify(entries)).not.toContain("secretpart");
  });

  it("records key changes for admins only; write keys see their own projects; read keys are refused", async ({ expect }) => {
    const p = uniqueProject();
    const other = uniqueProject();
    const made = await namedKey("ci-bot", "write", [p]);
    const revoked = await api("DELETE", `/v1/keys/${made.id}`);
    expect(revoked.status).toBe(200);
    const all = await api("GET", `/v1/audit?limit=1000`);
    const keyEntries = all.json.entries.filter((e: Entry) => e.target === made.id);
    expect(keyEntries.map((e: Entry) => e.action).sort()).toEqual(["key.create", "key.revoke"]);
    expect(keyEntries[0]).toMatchObject({ key_id: null, key_name: "ADMIN_TOKEN", project: null });

    const mine = await namedKey("mine", "write", [p]);
    await createRun(p, { name: "x" }, mine.key);
    await createRun(other, { name: "y" });
    const seen = await api("GET", `/v1/audit?limit=1000`, { token: mine.key });
    expect(seen.status).toBe(200);
    expect(seen.json.entries.length).toBeGreaterThan(0);
    expect(seen.json.entries.every((e: Entry) => e.project === p)).toBe(true);
    expect((await api("GET", `/v1/audit?project=${other}`, { token: mine.key })).json.entries).toEqual([]);

    const reader = await namedKey("reader", "read");
    const refused = await api("GET", `/v1/audit`, { token: reader.key });
    expect(refused.status).toBe(403);
  });

  it("filters by since and answers 400 naming a bad query", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "one" });
    const first = await auditOf(p);
    const at = (await api("GET", `/v1/audit?project=${p}`)).json.entries[0].at as string;
    await new Promise((r) => setTimeout(r, 5));
    await createRun(p, { name: "two" });
    const after = await api("GET", `/v1/audit?project=${p}&since=${encodeURIComponent(at)}`);
    expect(after.json.entries.map((e: Entry) => e.detail?.name)).toEqual(["two"]);
    expect(first).toHaveLength(1);
    const bad = await api("GET", `/v1/audit?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("limit");
  });
});
