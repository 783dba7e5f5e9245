/**
 * Trackflare's SDK: Trackio's logging API (`init`, `log`, `alert`, `finish`, `config`,
 * `AlertLevel`) with non-blocking, retried, de-duplicated delivery, and a reading API (`Api`)
 * with alert wait and watch. Runtime-neutral: Node 20+, browsers, Workers, Deno, Bun.
 * @module
 */
export { AlertLevel } from "./alert-level";
export { Api, ApiRun } from "./api";
export { Client, type ClientOptions, type RequestOptions } from "./client";
export { resolveConnection, type Connection } from "./connection";
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  TrackflareError,
} from "./errors";
export type { AlertFilter, AlertWatch, WatchHandlers } from "./resources/alerts";
export type { MetricRange } from "./resources/metrics";
export type { UploadOptions } from "./resources/media";
export { Audio, Histogram, Image, MediaFile, Table, Video, type MediaOptions, type MediaSource } from "./media/values";
export type { RunFilters } from "./resources/runs";
export { alert, config, currentRun, finish, init, log, shouldStop } from "./tracking/global";
export { Run, type FinishStatus, type InitOptions } from "./tracking/run";
export type * from "./contract-types";
