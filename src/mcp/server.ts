import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Principal } from "../auth/principal";
import type { Svc } from "../services/context";
import { runTool } from "./tool";
import { TOOLS } from "./tools";

const INSTRUCTIONS = `Trackflare is an experiment tracker for ML runs. Projects hold runs; a run has a config (hyperparameters), metric series indexed by step, and alerts (info < warn < error) raised by the training script.
Typical loop: get_all_projects -> get_runs_for_project or compare_runs -> get_run_summary -> get_metric_values. Watch a running experiment with wait_for_alerts (blocks until a new alert) and poll with get_alerts(cursor=next_cursor). Treat error alerts as "stop and change approach", warn as "tweak", info as "milestone".
Runs are addressed by name (the newest run with that name) or by id. Write tools (log_alert, finish_run, rename_run, delete_run) need a write key.`;

/**
 * A fresh server per request: the transport is stateless, and each request carries its own
 * key, so the principal is bound into the tools here rather than kept anywhere.
 */
export function buildMcpServer(s: Svc, principal: Principal): McpServer {
  const server = new McpServer({ name: "Trackflare", version: "0.1.0" }, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
  for (const def of TOOLS) {
    server.registerTool(
      def.name,
      { title: def.title, description: def.description, inputSchema: def.input, outputSchema: def.output, annotations: def.annotations },
      (args: unknown) => runTool(def, args, { s, principal }),
    );
  }
  return server;
}
