/**
 * What the MinIO and radosgw subscription adapters share: the `minio` package's client, reading a bucket's
 * notification configuration, judging botsync's entry in it, and mapping failures to BotsyncErrors.
 */
import type * as Minio from "minio";
import { BotsyncError } from "../../core/errors.js";
import { NOTIFICATION_EVENTS, NOTIFICATION_ID } from "../../core/ports/bucket-notifications.js";
import { systemClock } from "../../core/time/clock.js";
import { withTimeout } from "../../core/time/timeout.js";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SubscriptionServer {
  /** the S3 endpoint (path-style), e.g. http://127.0.0.1:9000 */
  endpoint: string;
  region: string;
  /** fixed keys, or read again for every operation (keys rotated in Vault) */
  credentials: S3Credentials | (() => Promise<S3Credentials>);
  /** the token the storage server must present: radosgw carries it as the topic's OpaqueData */
  webhookToken: string;
}

/** The notification configuration of a bucket as the minio package reads it. */
export type BucketNotificationConfig = Awaited<ReturnType<Minio.Client["getBucketNotification"]>>;
export type NotificationEntry = BucketNotificationConfig["QueueConfiguration"][number] | BucketNotificationConfig["TopicConfiguration"][number];

export async function credentialsOf(server: SubscriptionServer): Promise<S3Credentials> {
  return typeof server.credentials === "function" ? server.credentials() : server.credentials;
}

let minio: Promise<typeof Minio> | null = null;

/**
 * The minio package, loaded the first time a subscription is read or written: it takes about 25 MB of a
 * service that, without S3_NOTIFY, never uses it.
 */
export function minioPackage(): Promise<typeof Minio> {
  minio ??= import("minio");
  return minio;
}

/** A minio-package client for the endpoint; built per operation so rotated keys are picked up. */
export async function minioClient(server: SubscriptionServer): Promise<Minio.Client> {
  const url = new URL(server.endpoint);
  const { accessKeyId, secretAccessKey } = await credentialsOf(server);
  const useSSL = url.protocol === "https:";
  const { Client } = await minioPackage();
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: accessKeyId,
    secretKey: secretAccessKey,
    // A fixed region spares a GetBucketLocation per request; path-style as botsync's S3 client uses.
    region: server.region,
    pathStyle: true,
  });
  return client;
}

const CALL_TIMEOUT_MS = 30_000;

/**
 * The minio package has no request timeout of its own: a server that accepts the connection and never
 * answers would hold start-up forever. Past the limit the call counts as "storage server unreachable".
 */
function callWithTimeout<T>(call: Promise<T>, what: string): Promise<T> {
  return withTimeout(call, CALL_TIMEOUT_MS, systemClock, () => Object.assign(new Error(`${what} timed out after ${CALL_TIMEOUT_MS} ms`), { code: "ETIMEDOUT" }));
}

export async function readBucketNotification(client: Minio.Client, bucket: string): Promise<BucketNotificationConfig> {
  try {
    return await callWithTimeout(client.getBucketNotification(bucket), `reading the notification configuration of bucket ${bucket}`);
  } catch (error) {
    throw subscriptionError(error, `reading the notification configuration of bucket ${bucket}`);
  }
}

export async function writeBucketNotification(
  client: Minio.Client,
  bucket: string,
  config: Minio.NotificationConfig,
  what: string,
  explain?: (code: string | undefined, message: string) => string | undefined,
): Promise<void> {
  try {
    await callWithTimeout(client.setBucketNotification(bucket, config), what);
  } catch (error) {
    throw subscriptionError(error, what, explain);
  }
}

/** Why an entry does not deliver what botsync needs (empty = it does): both event groups, no filter. */
export function entryProblems(entry: NotificationEntry): string[] {
  const problems: string[] = [];
  const missing = NOTIFICATION_EVENTS.filter((e) => !entry.Event.includes(e));
  if (missing.length > 0) problems.push(`it does not subscribe to ${missing.join(", ")}`);
  if (entry.Filter.length > 0) problems.push(`it filters keys (${entry.Filter.map((f) => `${f.Name}=${f.Value}`).join(", ")})`);
  return problems;
}

/** botsync's own configuration entry, as minio's TargetConfig classes serialise it. */
export function botsyncEntry<T extends Minio.TargetConfig>(target: T): T {
  target.setId(NOTIFICATION_ID);
  for (const e of NOTIFICATION_EVENTS) target.addEvent(e);
  return target;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/** S3 error code of a minio-package or AWS SDK error, when it is one. */
export function s3ErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; name?: unknown; Code?: unknown } | null;
  if (typeof e?.code === "string" && e.code !== "") return e.code;
  if (typeof e?.Code === "string" && e.Code !== "") return e.Code;
  return undefined;
}

/**
 * Maps a failure to DRIVE_UNAVAILABLE (the server could not be reached: retry later) or
 * SUBSCRIPTION_FAILED (it answered no). `explain` may give a better message for a known refusal.
 */
export function subscriptionError(
  error: unknown,
  what: string,
  explain?: (code: string | undefined, message: string) => string | undefined,
): BotsyncError {
  if (error instanceof BotsyncError) return error;
  const code = s3ErrorCode(error);
  const message = error instanceof Error && error.message ? error.message : String(error);
  if ((code !== undefined && NETWORK_CODES.has(code)) || /socket hang up|timed? ?out|network/i.test(message)) {
    return new BotsyncError("DRIVE_UNAVAILABLE", `${what}: storage server unreachable: ${message}`, { retryable: true, cause: error });
  }
  const explained = explain?.(code, message);
  return new BotsyncError("SUBSCRIPTION_FAILED", explained ?? `${what}: the storage server refused: ${code ?? "error"}${message && message !== code ? ` ${message}` : ""}`, {
    details: { code },
    cause: error,
  });
}
