import { trackioBadRequest } from "./errors";

/** A call's arguments as Trackio's server reads them from the request body. */
export type Call = { args: unknown[]; kwargs: Record<string, unknown> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every body form Trackio's server accepts: `{"args": [...], "kwargs": {...}}` (its clients),
 * `{"data": [...]}` (Gradio style), a flat keyword object, a bare list, or a single value.
 * A body that is not JSON counts as `{}`, as it does there.
 */
export function parseCall(text: string): Call {
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
  }
  let args: unknown = [];
  let kwargs: unknown = {};
  if (isObject(body)) {
    if ("args" in body || "kwargs" in body) {
      args = body.args || [];
      kwargs = body.kwargs || {};
    } else if (Array.isArray(body.data)) {
      args = body.data;
    } else {
      kwargs = body;
    }
  } else if (Array.isArray(body)) {
    args = body;
  } else if (body !== null) {
    args = [body];
  }
  return { args: Array.isArray(args) ? args : [args], kwargs: isObject(kwargs) ? kwargs : {} };
}

export type Signature = {
  /** Parameter names in Trackio's server order (without `request`). */
  params: readonly string[];
  /** Those without a default: a call that binds none of them gets `Missing required parameter`. */
  required: readonly string[];
  /**
   * The order in which the `trackio` CLI passes positional arguments, when it differs from the
   * server's (it omits `run_id`). A positional call no longer than this is read in this order.
   */
  cliOrder?: readonly string[];
};

/**
 * Binds a call like Trackio's `_invoke_handler`: each parameter takes its keyword argument when
 * given, otherwise the next positional argument; extra arguments are ignored.
 */
export function bindCall(sig: Signature, call: Call): Record<string, unknown> {
  const order = sig.cliOrder && call.args.length <= sig.cliOrder.length ? [...sig.cliOrder, ...sig.params.filter((p) => !sig.cliOrder!.includes(p))] : sig.params;
  const bound: Record<string, unknown> = {};
  let next = 0;
  for (const name of order) {
    if (Object.hasOwn(call.kwargs, name)) bound[name] = call.kwargs[name];
    else if (next < call.args.length) bound[name] = call.args[next++];
  }
  // Checked in the server's order so the first missing one is named, as Trackio names it.
  for (const name of sig.params) {
    if (sig.required.includes(name) && !Object.hasOwn(bound, name)) throw trackioBadRequest(`Missing required parameter: ${name}`);
  }
  return bound;
}
