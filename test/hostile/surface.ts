import fc from "fast-check";
import { ENDPOINTS } from "../../src/trackio/registry";
import { TOOLS } from "../../src/mcp/tools";
import { ADMIN } from "../helpers/api";
import { RAW_JUNK, levelArb, looseObject, metricsArb, nastyJson, nastyString, stepArb, timestampArb, withOverLimit } from "./values";

// Every interface's requests, as fast-check arbitraries: each REST route, each Trackio endpoint,
// each MCP tool, with plausible values (so requests reach deep into the handlers) mixed with
// hostile ones (so they also reach every refusal).

/** What the suite seeded (see seed.ts): names and ids the requests aim at. */
export type Target = {
  seeded: string;
  empty: string;
  /** Never created by the seed; a refused request must not create it either. */
  fresh: string;
  runNames: string[];
  runIds: string[];
  ruleIds: string[];
  webhookIds: string[];
  keyIds: string[];
  readKey: string;
  /** A write key limited to `empty`. */
  limitedKey: string;
};

export type HostileRequest = {
  family: "rest" | "trackio" | "mcp";
  /** The route, endpoint or tool, for counts and findings. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Whether it may write: a refusal of one must leave the stored state as it was. */
  writes: boolean;
};

/** Waits stay a fraction of a second (a fuzzed 30 s default wait would be the suite's whole budget). */
const WAIT_TIMEOUT = fc.constantFrom<unknown>(0, 0.1, -1, "1", 51, 1e9);
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
/** URL-encodes; a lone surrogate (which encodeURIComponent refuses) goes as invalid UTF-8 bytes. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return `${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ""))}%ED%A0%80`;
  }
};

const token = (t: Target) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant<string | null>(ADMIN) }, { weight: 1, arbitrary: fc.constantFrom<string | null>(t.readKey, t.limitedKey, null, "tf_wrong", "") });

const authHeaders = (tok: string | null): Record<string, string> => (tok === null ? {} : { authorization: `Bearer ${tok}` });

/** Valid values four times in five, so requests get past validation and change what is stored. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: invalid });
const goodConfig = fc.dictionary(fc.constantFrom("lr", "bs", "opt", "a.b"), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 5 }), fc.boolean()), { maxKeys: 3 });

/** Plausible values by field or parameter name, shared by Trackio's arguments and MCP's. */
function plausible(t: Target): Record<string, fc.Arbitrary<unknown>> {
  const project = mostly(fc.constantFrom(t.seeded, t.seeded, t.empty, t.fresh), fc.constantFrom("bad/name", "", ".."));
  const run = mostly(fc.constantFrom(...t.runNames, ...t.runIds, "nope", "new-run"), fc.constantFrom(".", "..", "a\u0000b"));
  const logEntry = looseObject({ project, run, run_id: fc.oneof(fc.constantFrom(...t.runIds), hex32, fc.constant(null)), metrics: metricsArb, step: stepArb, config: mostly(goodConfig, fc.dictionary(nastyString, nastyJson, { maxKeys: 3 })), log_id: fc.string({ maxLength: 8 }), timestamp: timestampArb });
  const alertEntry = looseObject({ project, run, run_id: fc.constantFrom(...t.runIds, null), title: fc.string({ maxLength: 10 }), text: fc.string({ maxLength: 10 }), level: levelArb, step: stepArb, timestamp: timestampArb, alert_id: fc.string({ maxLength: 8 }) });
  const metric = fc.constantFrom("loss", "acc", "train/loss", "nested", "none", "a\nb");
  return {
    project,
    run,
    run_id: fc.constantFrom(...t.runIds, "nope"),
    runs: fc.array(run, { maxLength: 3 }),
    logs: fc.array(logEntry, { maxLength: 5 }),
    alerts: fc.array(alertEntry, { maxLength: 5 }),
    uploads: fc.array(nastyJson, { maxLength: 2 }),
    metrics: metricsArb,
    metric_name: metric,
    metric,
    step: stepArb,
    around_step: stepArb,
    window: fc.constantFrom<unknown>(0, 5, -1, 1e9, "x"),
    at_time: timestampArb,
    since: timestampArb,
    level: levelArb,
    min_level: levelArb,
    cursor: fc.constantFrom<unknown>(0, 1, 99_999_999_999, -1, 1.5, "x"),
    limit: fc.constantFrom<unknown>(1, 10, 1000, 0, 100_000, -3),
    // Waits are kept short (a fuzzed 50 s wait per request would be the suite's whole budget).
    timeout: WAIT_TIMEOUT,
    new_name: mostly(fc.constantFrom("renamed", "r1", "new-run"), fc.constantFrom(".", "", "a\u0000", "x".repeat(300))),
    name: mostly(fc.constantFrom("renamed", "r1", "new-run"), fc.constantFrom(".", "", "a\u0000", "x".repeat(300))),
    status: fc.constantFrom("finished", "failed", "stopped", "running", ""),
    id: fc.constantFrom(...t.ruleIds, "r-1", "builtin:stale", ".."),
    condition: looseObject({ type: fc.constantFrom("gt", "lt", "non_finite", "no_improvement", "spike", "x"), value: fc.double(), steps: fc.integer(), factor: fc.double(), mode: fc.constantFrom("min", "max"), direction: fc.constantFrom("up", "both") }),
    title: fc.constantFrom("t", "{value:.4f}", "{nope}", "{", ""),
    text: fc.constantFrom("t", "{value:.4f}", "{nope}", "{"),
    max_points: fc.constantFrom<unknown>(2, 500, 1, 10_001, "x"),
    mode: fc.constantFrom("min", "max", "x"),
    hf_token: fc.constantFrom(null, "hf_x"),
  };
}

const field = (p: Record<string, fc.Arbitrary<unknown>>, name: string) => p[name] ?? nastyJson;

type Route = {
  method: string;
  path: (t: Target) => fc.Arbitrary<string>;
  query?: string[];
  body?: (t: Target) => fc.Arbitrary<unknown>;
  /** A raw (non-JSON) body, as the media upload takes: its content types and bytes. */
  raw?: { types: string[]; bytes: fc.Arbitrary<string> };
};

const projectSeg = (t: Target) => fc.constantFrom(t.seeded, t.seeded, t.seeded, t.seeded, t.empty, t.fresh, "bad%20name", "..", "%00", "x".repeat(200)).map(enc);
const runSeg = (t: Target) => fc.constantFrom(...t.runNames, ...t.runIds, ...t.runNames, ...t.runIds, "nope", "..", ".", "%E0%A4%A", "0".repeat(32)).map((s) => (s.startsWith("%") ? s : enc(s)));
const under = (sub: (t: Target) => fc.Arbitrary<string>) => (t: Target) => fc.tuple(projectSeg(t), sub(t)).map(([p, s]) => `/v1/projects/${p}${s}`);
const fixed = (s: string) => () => fc.constant(s);
const runPath = (suffix: string) => under((t) => runSeg(t).map((r) => `/runs/${r}${suffix}`));

function restRoutes(t: Target): Route[] {
  const p = plausible(t);
  const webhookUrlArb = mostly(fc.constant("https://example.com/h"), fc.constantFrom("https://[2002:a9fe:a9fe::]/", "http://10.0.0.1/", "x"));
  const runBody = looseObject({
    name: p.name,
    id: fc.oneof(fc.constantFrom(...t.runIds), hex32),
    group: mostly(fc.constantFrom("g", "h"), nastyString),
    config: mostly(goodConfig, fc.dictionary(nastyString, withOverLimit(nastyJson), { maxKeys: 3 })),
    resume: fc.constantFrom("never", "allow", "allow", "must", "x"),
    webhook_url: webhookUrlArb,
    webhook_min_level: levelArb,
  });
  const entry = looseObject({ step: stepArb, metrics: metricsArb, log_id: fc.string({ maxLength: 6 }), timestamp: timestampArb });
  const alert = looseObject({ title: p.title, text: p.text, level: levelArb, run: p.run, run_id: p.run_id, step: stepArb, timestamp: timestampArb, alert_id: fc.string({ maxLength: 6 }), webhook_url: webhookUrlArb });
  return [
    { method: "GET", path: fixed("/v1/projects") },
    { method: "GET", path: under(fixed("")) },
    { method: "POST", path: under(fixed("/runs")), body: () => runBody },
    { method: "GET", path: under(fixed("/runs")), query: ["group", "status", "name", "config", "config"] },
    { method: "GET", path: runPath("") },
    { method: "PATCH", path: runPath(""), body: () => looseObject({ name: p.name }) },
    { method: "POST", path: runPath("/finish"), body: () => looseObject({ status: p.status }) },
    { method: "DELETE", path: runPath("") },
    { method: "POST", path: runPath("/logs"), body: () => looseObject({ logs: fc.array(entry, { maxLength: 6 }) }) },
    { method: "POST", path: runPath("/system"), body: () => looseObject({ logs: fc.array(looseObject({ metrics: metricsArb, timestamp: timestampArb, log_id: fc.string({ maxLength: 6 }) }), { maxLength: 4 }) }) },
    {
      method: "POST",
      path: runPath("/media"),
      query: ["step", "name", "caption", "id", "kind"],
      raw: { types: ["image/png", "image/svg+xml", "audio/wav", "text/html", "application/json", ""], bytes: fc.oneof(fc.constant("\x89PNG\r\n\x1a\n0000"), fc.string({ maxLength: 40 })) },
    },
    { method: "GET", path: runPath("/media"), query: ["name", "step"] },
    { method: "GET", path: runPath("/media/values") },
    { method: "GET", path: under(() => fc.constantFrom("/media/x", "/media/../../etc/passwd", `/media/${t.seeded}/${t.runIds[0]}/0/a.png`, "/media/%00")) },
    { method: "GET", path: under(fixed("/compare")), query: ["runs", "runs", "metrics", "mode", "modes", "group"] },
    { method: "GET", path: runPath("/metrics") },
    { method: "GET", path: under((tt) => fc.tuple(runSeg(tt), fc.constantFrom("loss", "train/loss", "nested", "a%0Ab", "..", "x/../y")).map(([r, m]) => `/runs/${r}/metrics/${m}`)), query: ["step", "around", "window", "max_points", "start", "end"] },
    { method: "GET", path: runPath("/snapshot"), query: ["step", "around", "window"] },
    { method: "GET", path: under(fixed("/series")), query: ["runs", "metrics", "max_points", "after"] },
    { method: "POST", path: under(fixed("/alerts")), body: () => fc.oneof(alert, looseObject({ alerts: fc.array(alert, { maxLength: 4 }) })) },
    { method: "GET", path: under(fixed("/alerts")), query: ["run", "level", "min_level", "since", "cursor", "limit"] },
    { method: "GET", path: under(fixed("/alerts/wait")), query: ["run", "min_level", "cursor", "since", "timeout"] },
    { method: "GET", path: under(fixed("/alerts/ws")), query: ["cursor", "run"] },
    { method: "GET", path: under(fixed("/alert-counts")) },
    { method: "POST", path: under(fixed("/webhooks")), body: () => looseObject({ url: fc.constantFrom(...["https://example.com/h", "https://hooks.slack.com/services/T/B/S/", "https://[2002:a9fe:a9fe::]/", "https://[2001:0::1]/", "http://169.254.169.254/", "ftp://x", "x"]), min_level: levelArb, run: p.run, kind: fc.constantFrom("slack", "discord", "generic", "x") }) },
    { method: "GET", path: under(fixed("/webhooks")) },
    { method: "GET", path: under(fixed("/webhooks/deliveries")), query: ["status", "webhook", "limit"] },
    { method: "DELETE", path: under(() => fc.constantFrom(...t.webhookIds, "wh_nope", "..").map((id) => `/webhooks/${enc(id)}`)) },
    { method: "POST", path: under(() => fc.constantFrom(...t.webhookIds, "wh_nope").map((id) => `/webhooks/${enc(id)}/rotate-secret`)) },
    { method: "POST", path: under(fixed("/rules")), body: () => looseObject({ id: p.id, metric: fc.constantFrom("loss", "*a*a*a*a*a*a*b", "*", "", "x".repeat(300)), condition: p.condition, level: levelArb, title: p.title, text: p.text }) },
    { method: "GET", path: under(fixed("/rules")) },
    { method: "GET", path: under(() => fc.constantFrom(...t.ruleIds, "nope").map((id) => `/rules/${enc(id)}`)) },
    { method: "DELETE", path: under(() => fc.constantFrom(...t.ruleIds, "nope", "builtin:stale").map((id) => `/rules/${enc(id)}`)) },
    { method: "GET", path: under(fixed("/settings")) },
    { method: "PATCH", path: under(fixed("/settings")), body: () => looseObject({ stale_after: fc.constantFrom<unknown>(1, 600, 0, -1, 1e12, "x"), detectors: looseObject({ non_finite: fc.boolean(), stale: fc.boolean() }) }) },
    { method: "POST", path: fixed("/v1/keys"), body: () => looseObject({ name: nastyString, scope: fc.constantFrom("read", "write", "admin", "root"), projects: fc.array(fc.constantFrom(t.seeded, "bad name", ""), { maxLength: 2 }) }) },
    { method: "GET", path: fixed("/v1/keys") },
    { method: "DELETE", path: () => fc.constantFrom(...t.keyIds, "k_nope", "tf_pasted_secret").map((id) => `/v1/keys/${enc(id)}`) },
  ];
}

const QUERY_VALUES = fc.oneof(
  fc.constantFrom("0", "1", "-1", "1.5", "1e999", "abc", "", "99999999999", "%00", "loss", "lr=0.1", 'a"b=1', "a\\b=1", "a%00b=1", "==", "r1,r2", "2026-11-28T17:25:45Z", "2026-13-45T00:00:00Z", "finished", "warn"),
  nastyString,
);

function restRequest(t: Target, route: Route): fc.Arbitrary<HostileRequest> {
  const query = route.query?.length
    ? fc
        .array(
          fc.constantFrom(...route.query).chain((k) => fc.tuple(fc.constant(k), k === "timeout" ? fc.constantFrom("0", "0.1", "-1", "x", "61", "") : QUERY_VALUES)),
          { maxLength: 3 },
        )
        // A wait always carries a short timeout of its own (after any fuzzed one, which wins if valid).
        .map((pairs) => (route.query!.includes("timeout") ? [...pairs, ["timeout", "0.1"]] : pairs))
        .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${enc(v)}`).join("&")}` : ""))
    : fc.constant("");
  const body = route.raw
    ? route.raw.bytes
    : route.body
    ? fc.oneof({ weight: 8, arbitrary: route.body(t).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: withOverLimit(nastyJson).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_JUNK) })
    : fc.constant(undefined);
  const type = route.raw ? fc.constantFrom(...route.raw.types) : fc.constant("application/json");
  return fc.tuple(route.path(t), query, body, token(t), type).map(([path, q, b, tok, contentType]) => ({
    family: "rest" as const,
    label: `${route.method} ${path.replace(/^\/v1\/projects\/[^/]+/, "/v1/projects/:project")}`.replace(/\/runs\/[^/]+/, "/runs/:run"),
    method: route.method,
    path: `${path}${q}`,
    headers: { ...authHeaders(tok), ...(b === undefined || !contentType ? {} : { "content-type": contentType }) },
    body: b,
    writes: route.method !== "GET",
  }));
}

/** One request to any REST route. */
export const restArb = (t: Target) => fc.oneof(...restRoutes(t).map((r) => restRequest(t, r)));

const argsFor = (t: Target, names: readonly string[]) => {
  const p = plausible(t);
  return looseObject(Object.fromEntries(names.map((n) => [n, field(p, n)])));
};

/** One call of any Trackio endpoint, in any of the body forms its server accepts, or junk. */
export function trackioArb(t: Target): fc.Arbitrary<HostileRequest> {
  const names = [...Object.keys(ENDPOINTS), "upload", "no_such_api"];
  return fc
    .constantFrom(...names)
    .chain((name) => {
      const params = ENDPOINTS[name]?.params ?? ["project", "logs"];
      const kwargs = argsFor(t, params);
      const body = fc.oneof(
        { weight: 6, arbitrary: kwargs.map((k) => JSON.stringify({ args: [], kwargs: k })) },
        { weight: 2, arbitrary: kwargs.map((k) => JSON.stringify({ args: params.map((p) => k[p] ?? null), kwargs: {} })) },
        { weight: 1, arbitrary: kwargs.map((k) => JSON.stringify(k)) },
        { weight: 1, arbitrary: kwargs.map((k) => JSON.stringify({ data: Object.values(k) })) },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_JUNK) },
      );
      return fc.tuple(fc.constant(name), body, token(t), fc.constantFrom("header", "query", "bearer"), fc.constantFrom("POST", "POST", "POST", "POST", "POST", "POST", "POST", "GET"));
    })
    .map(([name, body, tok, via, method]) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      let qs = "";
      if (tok !== null && via === "header") headers["x-trackio-write-token"] = tok;
      if (tok !== null && via === "bearer") headers.authorization = `Bearer ${tok}`;
      if (tok !== null && via === "query") qs = `?write_token=${enc(tok)}`;
      const access = ENDPOINTS[name]?.access;
      return { family: "trackio" as const, label: `${method} /api/${name}`, method, path: `/api/${name}${qs}`, headers, body: method === "GET" ? undefined : body, writes: access !== "read" && method === "POST" };
    });
}

/** One MCP request: mostly `tools/call` of any tool with fuzzed arguments, sometimes protocol junk. */
export function mcpArb(t: Target): fc.Arbitrary<HostileRequest> {
  const call = fc.constantFrom(...TOOLS).chain((tool) =>
    fc.tuple(argsFor(t, Object.keys(tool.input.shape)), token(t), WAIT_TIMEOUT).map(([fuzzed, tok, timeout]) => {
      const args = tool.name === "wait_for_alerts" ? { ...fuzzed, timeout } : fuzzed;
      return {
        label: `tools/call ${tool.name}`,
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool.name, arguments: args } }),
        tok,
        writes: tool.scope !== "read",
      };
    }),
  );
  const junk = fc.tuple(
    fc.constantFrom(
      '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":1,"method":"no/such"}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope","arguments":{}}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_run_summary","arguments":"x"}}',
      '[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]',
      ...RAW_JUNK,
    ),
    token(t),
  ).map(([body, tok]) => ({ label: "protocol junk", body, tok, writes: false }));
  return fc.oneof({ weight: 9, arbitrary: call }, { weight: 1, arbitrary: junk }).map((r) => ({
    family: "mcp" as const,
    label: r.label,
    method: "POST",
    path: "/mcp",
    headers: { ...authHeaders(r.tok), "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: r.body,
    writes: r.writes,
  }));
}
