import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { KeyScope } from "../contract";
import { canSeeProject, projectNotFound, requireScope, type Principal } from "../auth/principal";
import { findProject } from "../db/projects";
import { ApiError } from "../errors";
import type { Svc } from "../services/context";
import { logFailure } from "../log";

/** What every tool call gets: the services' context and who is calling. */
export type ToolContext = { s: Svc; principal: Principal };

/**
 * One MCP tool. `input` and `output` are zod objects (the SDK derives the JSON Schemas from
 * them, validates arguments before `run`, and checks `run`'s result against `output`).
 */
export type ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> = {
  name: string;
  title: string;
  description: string;
  /** The key scope the tool needs; a weaker key gets a tool error, not a protocol error. */
  scope: KeyScope;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run: (args: z.output<I>, t: ToolContext) => Promise<z.input<O>>;
  /** Content blocks sent after the result's JSON (get_media: the images themselves). */
  attach?: (result: z.input<O>, t: ToolContext) => Promise<CallToolResult["content"]>;
};

/** Keeps each tool's argument and result types inferred while collecting them in one list. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>) => def as unknown as ToolDef;

/**
 * The call's project, checked: one that does not exist is a tool error naming it (never an empty
 * answer a model would read as "no alerts yet"), and one outside the key's list is answered
 * exactly alike.
 */
export async function knownProject(t: ToolContext, project: string): Promise<string> {
  if (!(await findProject(t.s.db, visibleProject(t, project)))) throw projectNotFound(project);
  return project;
}

/** A project outside the key's list is answered exactly as a project that does not exist. */
export function visibleProject(t: ToolContext, project: string): string {
  if (!canSeeProject(t.principal, project)) throw projectNotFound(project);
  return project;
}

/** Trackio's tools address a run by `run` (name) or `run_id`; either resolves the same way here. */
export function runRef(args: { run?: string | null; run_id?: string | null }): string {
  const ref = args.run_id ?? args.run;
  if (!ref) throw new ApiError("invalid_request", "Give run (a run name) or run_id", [{ path: "run", message: "run or run_id is required" }]);
  return ref;
}

export function toolResult(data: Record<string, unknown>): CallToolResult {
  // Structured output for clients that read it, and the same JSON as text for those that
  // only show `content` (the specification asks servers to send both).
  return { structuredContent: data, content: [{ type: "text", text: JSON.stringify(data) }] };
}

/**
 * Our errors become tool errors (`isError`), which the calling model reads and can act on;
 * anything else is logged and answered without internals.
 */
export function toolError(tool: string, err: unknown): CallToolResult {
  let text: string;
  if (err instanceof ApiError) {
    const details = err.details?.length ? `\n${err.details.map((d) => `- ${d.path || "(arguments)"}: ${d.message}`).join("\n")}` : "";
    text = `${err.code}: ${err.message}${details}`;
  } else {
    logFailure("mcp tool failed", err, tool);
    text = "internal: the tool failed unexpectedly; try again";
  }
  return { isError: true, content: [{ type: "text", text }] };
}

export async function runTool(def: ToolDef, args: unknown, t: ToolContext): Promise<CallToolResult> {
  try {
    requireScope(t.principal, def.scope);
    const data = (await def.run(args as never, t)) as Record<string, unknown>;
    const result = toolResult(data);
    if (def.attach) result.content.push(...(await def.attach(data as never, t)));
    return result;
  } catch (err) {
    return toolError(def.name, err);
  }
}
