import { ErrorBody, type ErrorCode, type ErrorDetail } from "../../src/contract";

/** Base class of every error the SDK throws. */
export class TrackflareError extends Error {
  override name = "TrackflareError";
}

/**
 * The server answered with an error. The body is the API's one error shape,
 * `{"error":{"code","message","details?"}}`; `fromResponse` picks the subclass by status.
 */
export class APIError extends TrackflareError {
  override name = "APIError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "unknown",
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  /** The message plus the first field-level details, which name the offending field. */
  describe(): string {
    const parts = (this.details ?? []).slice(0, 5).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
    // The server's message often quotes its first detail already.
    const missing = parts.filter((p) => !this.message.includes(p));
    return missing.length ? `${this.message} (${missing.join("; ")})` : this.message;
  }

  static fromResponse(status: number, body: unknown): APIError {
    const parsed = ErrorBody.safeParse(body);
    const code = parsed.success ? parsed.data.error.code : "unknown";
    const message = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
    const details = parsed.success ? parsed.data.error.details : undefined;
    const Cls = ERROR_FOR_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Cls(status, code, message, details);
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class PayloadTooLargeError extends APIError {
  override name = "PayloadTooLargeError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

const ERROR_FOR_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  429: RateLimitError,
};

/** The server could not be reached (refused, reset, DNS) or did not answer in time. */
export class APIConnectionError extends TrackflareError {
  override name = "APIConnectionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** Whether a failed request may succeed if sent again unchanged. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof APIConnectionError) return true;
  if (err instanceof APIError) return err.status >= 500 || err.status === 408 || err.status === 429;
  return false;
}
