/**
 * The one error type of botsync. Every failure that crosses a module boundary is a BotsyncError with a
 * code; handlers map codes to HTTP statuses in one place (src/handlers/http/error-response.ts) and jobs use
 * `retryable` to decide between backoff and "failed until the object changes".
 */
export type ErrorCode =
  // request edges
  | "UNAUTHORIZED"
  // signed in, but the request lacks proof it came from our own page (the console's CSRF token)
  | "FORBIDDEN"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "BAD_REQUEST"
  | "INVALID_NOTIFICATION"
  | "NOT_FOUND"
  | "CONFLICT"
  // settings and start-up
  | "SETTINGS_INVALID"
  // dependencies
  | "DATABASE_UNAVAILABLE"
  | "DRIVE_UNAVAILABLE"
  | "SECRETS_UNAVAILABLE"
  // the service itself: more work at once than it takes (retry shortly)
  | "SERVICE_BUSY"
  // the storage server refused botsync's bucket subscription (missing target or topic, no permission)
  | "SUBSCRIPTION_FAILED"
  // object jobs
  | "OBJECT_TOO_LARGE"
  | "CONFIG_INVALID_UTF8"
  | "CONFIG_DECRYPT_FAILED"
  | "BASIC_INVALID_UTF8"
  | "BASIC_COMPILE_FAILED"
  | "DIALOG_NAME_TAKEN"
  | "ARTIFACT_UNWRITABLE"
  | "WORK_DIR_UNAVAILABLE"
  | "EMBEDDING_FAILED"
  | "VECTORS_UNAVAILABLE"
  | "INVALID_KEY"
  | "INVALID_BOT_NAME"
  | "JOB_LEASE_LOST"
  // knowledge base (src/core/kb): none is retryable — the same bytes fail the same way until the ETag changes
  | "KB_INVALID_PATH"
  | "KB_UNSUPPORTED_FORMAT"
  | "KB_DOCUMENT_TOO_LARGE"
  | "KB_EXTRACTION_FAILED"
  | "KB_EXTRACTION_TIMEOUT"
  | "INTERNAL";

export class BotsyncError extends Error {
  override readonly name = "BotsyncError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Transient failures (a dependency down) are retried with backoff; the rest wait for a new ETag. */
  get retryable(): boolean {
    return this.options.retryable ?? false;
  }

  get details(): Record<string, unknown> | undefined {
    return this.options.details;
  }
}

export function isBotsyncError(error: unknown): error is BotsyncError {
  return error instanceof BotsyncError;
}

/** A readable one-line message for any thrown value, for logs and the `last_error` column. */
export function errorText(error: unknown): string {
  if (error instanceof BotsyncError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
