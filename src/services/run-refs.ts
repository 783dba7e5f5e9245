import { RUN_ID_PATTERN } from "../contract";
import { projectNotFound } from "../auth/principal";
import { findProject } from "../db/projects";
import { findRunById, resolveRun, type RunRow } from "../db/runs";
import { ApiError } from "../errors";
import type { Svc } from "./context";

// How every entry point turns a run reference into a run: an id (32 lowercase hex digits) or a
// name, which means the newest run with that name. The errors for a missing run or project are
// made here too, so every entry point words them the same way.

/** Whether a reference can be a run id; anything else can only be a name. */
export const isRunId = (ref: string) => RUN_ID_PATTERN.test(ref);

export const runNotFound = (project: string, ref: string) => new ApiError("not_found", `Run '${ref}' not found in project '${project}'`);

export async function requireProject(s: Svc, project: string) {
  const row = await findProject(s.db, project);
  if (!row) throw projectNotFound(project);
  return row;
}

export async function getRunOr404(s: Svc, project: string, ref: string): Promise<RunRow> {
  const row = await resolveRun(s.db, project, ref);
  if (!row) throw runNotFound(project, ref);
  return row;
}

/** The run `run_id` names (exactly that id), else the one `run` names (an id or a name); undefined when the project has none. */
export async function findRunByRef(s: Svc, project: string, ref: { run_id?: string; run?: string }): Promise<RunRow | undefined> {
  if (ref.run_id !== undefined) return findRunById(s.db, project, ref.run_id);
  return ref.run === undefined ? undefined : resolveRun(s.db, project, ref.run);
}
