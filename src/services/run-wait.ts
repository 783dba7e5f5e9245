import type { z } from "zod";
import type { RunWaitQuery, RunWaitResult } from "../contract";
import { projectObject } from "./alerts";
import type { Svc } from "./context";
import { getRunOr404, runNotFound } from "./run-refs";

/**
 * One round (≤ 60 s) of a wait on a run's condition. The run is resolved here (a name means its
 * newest run); the project's object holds the wait, and ingest wakes it.
 */
export async function waitForRun(s: Svc, project: string, ref: string, q: z.output<typeof RunWaitQuery>): Promise<RunWaitResult> {
  const run = await getRunOr404(s, project, ref);
  const res = await projectObject(s.env, project).waitForRun(project, run.id, q.until, Math.round(q.timeout * 1000));
  if (!res) throw runNotFound(project, ref);
  return res;
}
