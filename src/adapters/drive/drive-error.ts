/**
 * How a failed request to the storage server becomes an error of ours: DRIVE_UNAVAILABLE, retryable, with
 * a hint where the cause is usually the keys. Shared by the SDK-based drive and its signed-fetch GET.
 */
import { S3ServiceException } from "@aws-sdk/client-s3";
import { BotsyncError } from "../../core/errors.js";

/** `detail` says which request failed and how; a 403 adds the hint about the keys. */
export function driveUnavailable(detail: string, status: number | undefined, cause?: unknown): BotsyncError {
  const hint = status === 403 ? " (check S3_ACCESS_KEY / S3_SECRET_KEY)" : "";
  return new BotsyncError("DRIVE_UNAVAILABLE", `drive request failed: ${detail}${hint}`, { retryable: true, cause });
}

/** Maps S3/network failures to DRIVE_UNAVAILABLE (retryable), keeping our own errors as they are. */
export async function drive<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw driveError(error);
  }
}

export function driveError(error: unknown): BotsyncError {
  if (error instanceof BotsyncError) return error;
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  return driveUnavailable(`${name}${status ? ` ${status}` : ""}: ${message}`, status, error);
}
