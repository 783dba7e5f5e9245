import { ensureProject, findProject } from "../db/projects";
import type { Svc } from "./context";

/**
 * Projects are never deleted, so once this isolate has seen one in D1 it exists for good: a poll
 * or an alert of a known project costs no D1 round trip to check or create it. Bounded, oldest
 * dropped first; a dropped name is simply looked up again.
 */
const KNOWN_MAX = 4096;
const known = new Set<string>();

function remember(name: string) {
  if (known.size >= KNOWN_MAX) known.delete(known.values().next().value!);
  known.add(name);
}

export async function projectExists(s: Svc, name: string): Promise<boolean> {
  if (known.has(name)) return true;
  const found = !!(await findProject(s.db, name));
  if (found) remember(name);
  return found;
}

/** Creates the project unless this isolate already knows it exists. */
export async function ensureProjectOnce(s: Svc, name: string): Promise<void> {
  if (known.has(name)) return;
  await ensureProject(s.db, name);
  remember(name);
}
