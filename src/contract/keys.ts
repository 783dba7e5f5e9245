import { z } from "zod";
import { ProjectName } from "./common";

export const KeyScope = z.enum(["read", "write", "admin"]);
export type KeyScope = z.infer<typeof KeyScope>;

export const CreateKey = z.object({
  name: z.string().trim().min(1, "name must not be empty").max(128),
  scope: KeyScope,
  /** Limit the key to these projects; absent or null means every project. */
  projects: z.array(ProjectName).min(1, "projects must list at least one project").nullish(),
});
export type CreateKey = z.input<typeof CreateKey>;

export const ApiKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  scope: KeyScope,
  projects: z.array(z.string()).nullable(),
  /** The first characters of the key, to recognise it; the key itself is never stored. */
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

/** Returned once, at creation: the only time the key is shown. */
export const CreatedKey = ApiKeyInfo.extend({ key: z.string() });
export type CreatedKey = z.infer<typeof CreatedKey>;

export const KeyList = z.object({ keys: z.array(ApiKeyInfo) });
export type KeyList = z.infer<typeof KeyList>;
