import { z } from "zod";
import type { Principal } from "../auth/principal";
import { ProjectName, isTooLargeIssue } from "../contract";
import type { Svc } from "../services/context";
import type { Signature } from "./call";
import { TrackioError, trackioBadRequest } from "./errors";

/** What a handler gets besides its arguments: the services and the authenticated caller. */
export type Ctx = { s: Svc; caller: Principal | null };

/**
 * One `/api/<name>` endpoint: Trackio's signature (for binding), a zod object for the bound
 * arguments, who may call it, and the handler, which calls the services.
 */
export type Endpoint = Signature & {
  /** `read`: any key; `write`: a write key, checked before the arguments are validated, as Trackio does. */
  access: "read" | "write";
  /** The 400 message for a write without a valid key (Trackio words it per kind of write). */
  writeDenied?: string;
  parse: (bound: Record<string, unknown>) => unknown;
  run: (ctx: Ctx, args: never) => Promise<unknown>;
};

export function endpoint<S extends z.ZodObject>(
  def: Signature &
    Pick<Endpoint, "access" | "writeDenied"> & {
      args: S;
      /** A hand-written check answering true only for arguments `args` accepts unchanged (the hot path); false asks zod. */
      fast?: (bound: Record<string, unknown>) => boolean;
      run: (ctx: Ctx, args: z.output<S>) => Promise<unknown>;
    },
): Endpoint {
  return {
    params: def.params,
    required: def.required,
    cliOrder: def.cliOrder,
    access: def.access,
    writeDenied: def.writeDenied,
    parse: (bound) => (def.fast?.(bound) ? bound : parseArgs(def.args, bound)),
    run: def.run as Endpoint["run"],
  };
}

function parseArgs<S extends z.ZodType>(schema: S, bound: Record<string, unknown>): z.output<S> {
  const r = schema.safeParse(bound);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join(".");
  const message = `Invalid ${path || "arguments"}: ${issue?.message ?? "malformed"}`;
  throw r.error.issues.some(isTooLargeIssue) ? new TrackioError(413, message) : trackioBadRequest(message);
}

/**
 * Trackio's canonical project name: only `[A-Za-z0-9_-]` is kept, `default` when nothing is left
 * (`bad/name` is stored as `badname`, as the recorded server does).
 */
export function canonicalProject(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "") || "default";
}

export const Project = z.string({ error: "project must be a string" }).transform(canonicalProject).pipe(ProjectName);
export const OptString = (name: string) => z.string({ error: `${name} must be a string or null` }).nullish();
export const OptInt = (name: string) => z.number({ error: `${name} must be an integer or null` }).int(`${name} must be an integer or null`).nullish();
/** Trackio applies `int()` to windows. */
export const OptWindow = z
  .number({ error: "window must be a number or null" })
  .nonnegative("window must be >= 0")
  .transform((n) => Math.trunc(n))
  .nullish();
