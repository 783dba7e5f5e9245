import { env } from "cloudflare:workers";
import { app } from "../../src/index";
import { ROUND_TRIPS_HEADER, withRoundTripCounts, type RoundTrips } from "../../src/round-trips/count";
import { ADMIN } from "./api";

const counted = withRoundTripCounts(app.fetch as ExportedHandlerFetchHandler<Env>);
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** Sends a request through the Worker with the counting bindings; its status, body and round trips. */
export async function countedRequest(method: string, path: string, body?: unknown, token = ADMIN): Promise<{ status: number; json: any; trips: RoundTrips }> {
  const req = new Request(`http://tf.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await counted(req as Request<unknown, IncomingRequestCfProperties>, { ...env, COUNT_ROUND_TRIPS: "true" }, ctx);
  const header = res.headers.get(ROUND_TRIPS_HEADER);
  if (!header) throw new Error("no round-trip header");
  const trips = Object.fromEntries(header.split(",").map((kv) => kv.trim().split("=")).map(([k, v]) => [k, Number(v)])) as RoundTrips;
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, trips };
}
