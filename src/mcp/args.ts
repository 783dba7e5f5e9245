import { z } from "zod";
import { AlertLevel, ProjectName, RunRef } from "../contract";

// Argument pieces shared by the tools, built on the contract's schemas so that MCP accepts and
// refuses exactly what REST does. Descriptions are written for the calling model.

export const projectArg = ProjectName.describe("Project name, as listed by get_all_projects");

/** Trackio's pair: a run by name (the newest run with that name) or by id. */
export const runArgs = {
  run: RunRef.optional().describe("Run name (the newest run with this name) or run id. Give run or run_id"),
  run_id: RunRef.optional().describe("Run id (32 hex characters); takes precedence over run"),
};

export const noArgs = z.strictObject({});

/**
 * Levels are accepted in any case (as REST does), but the JSON Schema lists the three values so
 * that a model sees them.
 */
export const withLevelEnum = <T extends z.ZodType>(schema: T, description: string) => schema.meta({ enum: AlertLevel.options, description });
