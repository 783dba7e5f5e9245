import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";
import type { Target } from "./surface";

/** Two projects with runs, metrics (a nested one), an alert, a rule, a webhook and keys to aim at. */
export async function seedTarget(prefix: string): Promise<Target> {
  const seeded = uniqueProject(`${prefix}s`);
  const empty = uniqueProject(`${prefix}e`);
  const fresh = uniqueProject(`${prefix}f`);
  const runs = [await createRun(seeded, { name: "r1", config: { lr: 0.1, 'a"b': 1 } }), await createRun(seeded, { name: "r2", group: "g" })];
  await createRun(empty, { name: "only" });
  for (const r of runs) {
    const logged = await logEntries(seeded, r.id, [
      { step: 0, metrics: { loss: 1, acc: 0.5, "train/loss": 2, nested: { _type: "trackio.table", data: [[1, "a"]] } } },
      { step: 1, metrics: { loss: "NaN", acc: 0.6 } },
    ]);
    if (logged.status !== 200) throw new Error(`seed logs: ${logged.text}`);
  }
  await api("POST", `/v1/projects/${seeded}/alerts`, { body: { title: "seeded", run: "r1", level: "warn" } });
  const rule = await api("POST", `/v1/projects/${seeded}/rules`, { body: { id: "seed-rule", metric: "loss", condition: { type: "gt", value: 5 }, title: "{metric} high" } });
  const hook = await api("POST", `/v1/projects/${seeded}/webhooks`, { body: { url: "https://example.com/hook" } });
  const limitedKey = await createKey("write", [empty]);
  const readKey = await createKey("read");
  const keys = await api("GET", "/v1/keys");
  return {
    seeded,
    empty,
    fresh,
    runNames: ["r1", "r2"],
    runIds: runs.map((r) => r.id),
    ruleIds: [rule.json.id],
    webhookIds: [hook.json.id],
    keyIds: keys.json.keys.slice(-1).map((k: { id: string }) => k.id),
    readKey,
    limitedKey,
  };
}
