import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { STATUS_FOR_CODE, type ErrorCode, type ErrorDetail } from "./contract/errors";
import type { AppEnv } from "./env";
import { logFailure } from "./log";

/** The only error type handlers throw; `onError` turns it into the one JSON error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return STATUS_FOR_CODE[this.code] as ContentfulStatusCode;
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) => new ApiError("invalid_request", message, details);
export const notFound = (message: string) => new ApiError("not_found", message);

function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(STATUS_FOR_CODE) as [ErrorCode, number][]).find(([, s]) => s === status);
  return found ? found[0] : status >= 500 ? "internal" : "invalid_request";
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: details ? { code, message, details } : { code, message } };
}

export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(codeForStatus(status), err.message || "Request failed"), status);
  }
  // The only place that logs unexpected failures (never the body, headers or query: see log.ts).
  logFailure("unhandled", err, c.req.method, c.req.routePath);
  return c.json(errorBody("internal", "Internal error"), 500);
}

export function onNotFound(c: Context<AppEnv>) {
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
}
