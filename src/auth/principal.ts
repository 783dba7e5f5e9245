import type { KeyScope } from "../contract";
import { ApiError } from "../errors";

/** Who is calling: the ADMIN_TOKEN secret or a stored API key. */
export type Principal = {
  keyId: string | null;
  /** The key's name as given at creation (what the audit log and notes show); `ADMIN_TOKEN` for the secret. */
  keyName: string;
  scope: KeyScope;
  /** null: every project. */
  projects: string[] | null;
};

const RANK: Record<KeyScope, number> = { read: 0, write: 1, admin: 2 };

export const hasScope = (p: Principal, needed: KeyScope) => RANK[p.scope] >= RANK[needed];

export const canSeeProject = (p: Principal, project: string) => p.projects === null || p.projects.includes(project);

export function requireScope(p: Principal, needed: KeyScope) {
  if (!hasScope(p, needed)) throw new ApiError("forbidden", `This key has the '${p.scope}' scope; this action needs '${needed}'`);
}

/** A project outside the key's list answers exactly as a project that does not exist. */
export function projectNotFound(project: string) {
  return new ApiError("not_found", `Project '${project}' not found`);
}

/** The name the deployment's ADMIN_TOKEN secret goes by in the audit log. */
export const ADMIN_TOKEN_NAME = "ADMIN_TOKEN";
