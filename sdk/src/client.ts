import { resolveConnection, type Connection } from "./connection";
import { APIConnectionError, APIError, APITimeoutError } from "./errors";
import { Alerts } from "./resources/alerts";
import { Audit } from "./resources/audit";
import { Media } from "./resources/media";
import { Keys } from "./resources/keys";
import { Logs } from "./resources/logs";
import { Metrics } from "./resources/metrics";
import { Notes } from "./resources/notes";
import { Projects } from "./resources/projects";
import { Rules } from "./resources/rules";
import { Runs } from "./resources/runs";
import { Webhooks } from "./resources/webhooks";

export type QueryValue = string | number | boolean | null | undefined | readonly string[];
export type Query = Record<string, QueryValue>;

export type ClientOptions = {
  /** Server base URL; default TRACKFLARE_URL, then TRACKIO_SERVER_URL. */
  url?: string;
  /** API key; default TRACKFLARE_TOKEN, then TRACKIO_WRITE_TOKEN. */
  token?: string | null;
  /** A fetch implementation (tests pass a Worker's `fetch`); default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
};

export type RequestOptions = {
  query?: Query;
  body?: unknown;
  /** A raw body sent as is with its content type (media uploads), instead of JSON. */
  file?: { data: Uint8Array | Blob; contentType: string };
  signal?: AbortSignal;
  timeoutMs?: number;
};

/** One HTTP client for the REST API; each resource is a thin class over `request()`. */
export class Client {
  readonly url: string;
  readonly token: string | null;
  readonly projects = new Projects(this);
  readonly runs = new Runs(this);
  readonly logs = new Logs(this);
  readonly metrics = new Metrics(this);
  readonly alerts = new Alerts(this);
  readonly rules = new Rules(this);
  readonly webhooks = new Webhooks(this);
  readonly keys = new Keys(this);
  readonly notes = new Notes(this);
  readonly audit = new Audit(this);
  readonly media = new Media(this);
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: ClientOptions | Connection = {}) {
    const conn = resolveConnection(opts);
    this.url = conn.url;
    this.token = conn.token;
    this.fetchImpl = ("fetch" in opts && opts.fetch) || ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = ("timeoutMs" in opts && opts.timeoutMs) || 30_000;
  }

  buildUrl(path: string, query?: Query): URL {
    const u = new URL(this.url + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item);
      else u.searchParams.set(k, String(v));
    }
    return u;
  }

  /** GETs a file: its bytes and content type. A non-2xx answer throws as `request` does. */
  async fetchBytes(path: string, opts: { signal?: AbortSignal } = {}): Promise<{ bytes: Uint8Array; contentType: string }> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await this.fetchImpl(this.buildUrl(path), { headers, signal });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw new APIConnectionError(`Could not reach ${this.url}: ${describeCause(err)}`, { cause: err });
    }
    if (!res.ok) {
      let json: unknown = null;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        json = null;
      }
      throw APIError.fromResponse(res.status, json);
    }
    return { bytes, contentType: res.headers.get("content-type") ?? "" };
  }

  /**
   * Sends one request and returns the parsed JSON body. A non-2xx answer throws the APIError
   * subclass for its status; a network failure or timeout throws APIConnectionError.
   */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | Uint8Array | Blob | undefined;
    if (opts.file) {
      headers["content-type"] = opts.file.contentType;
      body = opts.file.data;
    } else if (opts.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    }
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(this.buildUrl(path, opts.query), { method, headers, body: body as BodyInit | undefined, signal });
      text = await res.text();
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (timeout.aborted) throw new APITimeoutError(`${method} ${path} timed out after ${opts.timeoutMs ?? this.timeoutMs} ms`, { cause: err });
      throw new APIConnectionError(`Could not reach ${this.url}: ${describeCause(err)}`, { cause: err });
    }
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!res.ok) throw APIError.fromResponse(res.status, json);
    return json as T;
  }
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
