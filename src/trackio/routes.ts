import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { MAX_BODY_BYTES } from "../contract";
import { createRouter, type AppEnv } from "../env";
import { svc } from "../services/context";
import { principalOf } from "../auth/middleware";
import { requireReader, requireWriter } from "./auth";
import { bindCall, parseCall } from "./call";
import { TrackioError, toTrackioError, unknownApi } from "./errors";
import { files } from "./files";
import { ENDPOINTS } from "./registry";
import { logFailure } from "../log";

/** The Trackio release whose wire protocol this speaks (fixtures/trackio-wire). */
export const TRACKIO_VERSION = "0.36.0";
/** Our MCP server (src/mcp), mounted at the path Trackio's servers use. */
const MCP_PATH = "/mcp";

const fail = (c: Context<AppEnv>, err: TrackioError) => c.json({ error: err.message }, err.status);

async function bodyText(c: Context<AppEnv>): Promise<string> {
  const tooLarge = new TrackioError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge;
  return text;
}

/**
 * Trackio's HTTP protocol, outside /v1: the client probes `GET /version` (`api_version: 1`
 * selects its plain-HTTP transport) and then calls `POST /api/<name>`. Answers are
 * `200 {"data": …}`, `4xx {"error": "…"}` and `404 {"error": "Unknown API: <name>"}`; the
 * protocol authenticates each call itself (see auth.ts).
 */
export const trackio = createRouter()
  .get("/version", (c) =>
    c.json({ version: TRACKIO_VERSION, api_version: 1, api_transport: "http", mcp_enabled: true, mcp_path: MCP_PATH }),
  )
  .route("/", files)
  .post("/api/:name", async (c) => {
    const name = c.req.param("name");
    const ep = Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name] : undefined;
    if (!ep) return fail(c, unknownApi(name));
    try {
      const bound = bindCall(ep, parseCall(await bodyText(c)));
      // Authenticated after binding, as Trackio checks its token inside the handler.
      const caller = await principalOf(c);
      if (ep.access === "read") requireReader(caller);
      else requireWriter(caller, [], ep.writeDenied);
      const data = await ep.run({ s: svc(c.env, caller), caller }, ep.parse(bound) as never);
      // JSON.stringify writes non-finite numbers as null, as Trackio's encoder does.
      return c.json({ data: data ?? null });
    } catch (err) {
      const known = toTrackioError(err);
      if (known) return fail(c, known);
      // The only place this protocol logs a failure (never its body, headers or query: see log.ts).
      logFailure("trackio", err, name);
      return fail(c, new TrackioError(500 as ContentfulStatusCode, "Internal error"));
    }
  })
  .all("/api/:name", (c) => c.text("Method Not Allowed", 405));
