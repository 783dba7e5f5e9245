import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Context, MiddlewareHandler } from "hono";
import { authenticate, extractToken } from "../auth/middleware";
import { limitBody } from "../body-limit";
import { createRouter, type AppEnv } from "../env";
import { ApiError, errorBody } from "../errors";
import { svc } from "../services/context";
import { buildMcpServer } from "./server";

/** Tool arguments are small; anything larger is not a tool call. */
const MAX_MCP_BODY = 1024 * 1024;

async function serve(c: Context<AppEnv>) {
  const server = buildMcpServer(svc(c.env, c.var.principal), c.var.principal);
  // Stateless Streamable HTTP (no session id) with plain JSON responses: any isolate can answer
  // any request, which is what a Worker needs.
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(c.req.raw);
}

/** The key comes from `Authorization: Bearer`; without a valid one every method gets the same 401. */
const requireKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  const principal = await authenticate(c.env, extractToken(c.req.raw), ctx);
  if (!principal) {
    c.header("WWW-Authenticate", 'Bearer realm="trackflare"');
    throw new ApiError("unauthorized", "Missing or invalid API key: send it as 'Authorization: Bearer <key>'");
  }
  c.set("principal", principal);
  await next();
};

/**
 * Mounted at /mcp and at /mcp/ (the URL Trackio's docs give); per-route middleware, so the key
 * is checked once whichever mount matches.
 */
export const mcp = createRouter()
  .post("/", requireKey, limitBody(MAX_MCP_BODY), serve)
  // No standalone SSE stream and no sessions to delete: nothing is pushed outside a request here
  // (MCP 2026-07-28 drops both; older clients treat 405 as "not offered").
  .on(["GET", "DELETE"], "/", requireKey, (c) => {
    c.header("Allow", "POST");
    return c.json(errorBody("invalid_request", "MCP over Streamable HTTP: send JSON-RPC requests with POST"), 405);
  });
