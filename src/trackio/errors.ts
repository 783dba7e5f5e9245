import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../errors";

/**
 * Trackio's error shape is `{"error": "<message>"}` (400 for API errors, 404 for an unknown
 * endpoint); its clients raise on any non-null `error`. Handlers throw this, or the services'
 * ApiError, which `toTrackioError` maps onto it.
 */
export class TrackioError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
  }
}

/** Trackio's own wording, which its clients and users recognise. */
export const WRITE_TOKEN_REQUIRED =
  "A write_token is required to log metrics or upload to this server. Use the write-access URL from trackio.show(), set TRACKIO_WRITE_TOKEN, or send header X-Trackio-Write-Token.";

export const READ_KEY_REQUIRED =
  "A Trackflare API key is required to read from this server. Pass it as the X-Trackio-Write-Token header (TRACKIO_WRITE_TOKEN), as ?write_token= in the server URL (trackio --space 'https://host/?write_token=<key>'), or as Authorization: Bearer <key>.";

export const unknownApi = (name: string) => new TrackioError(404, `Unknown API: ${name}`);
/** A 400 in Trackio's shape, for a call Trackio itself would refuse; the services' `badRequest` (src/errors.ts) is the `/v1` one. */
export const trackioBadRequest = (message: string) => new TrackioError(400, message);

export function toTrackioError(err: unknown): TrackioError | null {
  if (err instanceof TrackioError) return err;
  if (err instanceof ApiError) {
    const status = err.status;
    // Trackio has no 404 for missing data: a refused operation is a 400 with its message.
    const mapped = status === 401 || status === 403 || status === 413 || status === 429 || status >= 500 ? status : 400;
    return new TrackioError(mapped as ContentfulStatusCode, err.message);
  }
  return null;
}
