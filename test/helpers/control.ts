import { api } from "./api";

/** A key with a chosen name (the audit log and notes credit writes to it). */
export async function namedKey(name: string, scope: "read" | "write" | "admin", projects?: string[]) {
  const r = await api("POST", "/v1/keys", { body: { name, scope, projects } });
  if (r.status !== 201) throw new Error(`key creation failed: ${r.status} ${r.text}`);
  return { id: r.json.id as string, key: r.json.key as string };
}

/** Entries at steps from..to-1, with metrics from `f(step)`. */
export const entries = (from: number, to: number, f: (step: number) => Record<string, number | string>) =>
  Array.from({ length: to - from }, (_, i) => ({ step: from + i, metrics: f(from + i) }));
