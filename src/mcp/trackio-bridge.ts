import { ApiError } from "../errors";
import type { Endpoint } from "../trackio/endpoint";
import { TrackioError } from "../trackio/errors";
import type { ToolContext } from "./tool";

/**
 * Runs one of the Trackio protocol's endpoint handlers (src/trackio/endpoints) for a tool, so
 * reads that MCP serves exactly as Trackio does (get_logs, get_system_logs, get_settings) have
 * one implementation. Its refusals become our errors, which the tool turns into tool errors.
 */
export async function viaTrackio(ep: Endpoint, t: ToolContext, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await ep.run({ s: t.s, caller: t.principal }, ep.parse(args) as never);
  } catch (err) {
    if (err instanceof TrackioError) throw new ApiError(err.status === 403 ? "forbidden" : "invalid_request", err.message);
    throw err;
  }
}
