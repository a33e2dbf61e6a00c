/**
 * Plays MinIO's part for the embedded S3 server and for tests: turns an S3ObjectEvent into the exact body
 * MinIO POSTs to a webhook target (docs/notifications.md, "MinIO's webhook body") and delivers it the way
 * MinIO does with a `queue_dir` (docs/notifications.md, "Delivery and retries"): one at a time, in order,
 * retrying failures — except that we give up after a few retries instead of blocking the queue forever.
 */
import { encodeMinioKey } from "../../core/events/minio-key.js";
import { systemClock, type Clock } from "../../core/time/clock.js";
import { backoffDelays, retrying } from "../../core/time/retry.js";
import type { EmbeddedLog, S3ObjectEvent } from "./s3-server.js";

export interface MinioRecord {
  eventVersion: "2.0";
  eventSource: "minio:s3";
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: Record<string, string> | null;
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: "1.0";
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: {
      key: string;
      size?: number;
      eTag?: string;
      contentType?: string;
      userMetadata?: Record<string, string>;
      versionId?: string;
      sequencer: string;
    };
  };
  source: { host: string; port: string; userAgent: string };
}

export interface MinioWebhookBody {
  EventName: string;
  Key: string;
  Records: [MinioRecord];
}

export interface MinioBodyOptions {
  /** 16-digit upper-case hex ns timestamp; default derived from e.eventTime (ms × 10⁶). */
  sequencer?: string;
  /** Access key of the caller (userIdentity, requestParameters, ownerIdentity); default "minioadmin". */
  principalId?: string;
  /** MinIO site region; default "" (no site region configured). */
  region?: string;
  /** Client IP (requestParameters.sourceIPAddress and source.host); default "127.0.0.1". */
  sourceIp?: string;
  /** Client User-Agent (source.userAgent). */
  userAgent?: string;
  /** x-amz-request-id; default = the sequencer (MinIO request ids are also %X of UnixNano). */
  requestId?: string;
  /** x-amz-id-2 (MinIO: sha256 hex of the node name). */
  nodeIdHash?: string;
  deploymentId?: string;
  /** x-minio-origin-endpoint. */
  originEndpoint?: string;
  /** Overrides e.contentType. */
  contentType?: string;
  /** s3.object.userMetadata on created events (MinIO sends the object's; omitted unless given here). */
  userMetadata?: Record<string, string>;
}

export const DEFAULT_PRINCIPAL_ID = "minioadmin";
export const DEFAULT_USER_AGENT = "MinIO (linux; amd64) minio-go/v7.0.83 botsync-embedded";
/** sha256("botsync-embedded") in hex, standing in for MinIO's sha256(node name). */
export const DEFAULT_NODE_ID_HASH = "ecc6df5e1914f275a2f44f2b0dc802a14e135db977e7b4c1ae43bb88c423556e";
export const DEFAULT_DEPLOYMENT_ID = "00000000-0000-4000-8000-000000000000";
export const DEFAULT_ORIGIN_ENDPOINT = "http://127.0.0.1:9000";

function isRemove(eventName: string): boolean {
  return eventName.startsWith("s3:ObjectRemoved:");
}

/** Go `fmt.Sprintf("%X", ns)`, left-padded to 16 digits (always 16 for dates 1975–2262). */
export function formatSequencer(ns: bigint): string {
  return ns.toString(16).toUpperCase().padStart(16, "0");
}

/** Millisecond-precision UTC with Z (`event.AMZTimeFormat`). */
function amzTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid eventTime: ${JSON.stringify(iso)}`);
  return d.toISOString();
}

/** The exact body MinIO POSTs for one event (field order = Go struct order, map keys sorted). Pure. */
export function minioBody(e: S3ObjectEvent, opts: MinioBodyOptions = {}): MinioWebhookBody {
  const eventTime = amzTime(e.eventTime);
  const sequencer = opts.sequencer ?? formatSequencer(BigInt(Date.parse(eventTime)) * 1_000_000n);
  const principalId = opts.principalId ?? DEFAULT_PRINCIPAL_ID;
  const region = opts.region ?? "";
  const sourceIp = opts.sourceIp ?? "127.0.0.1";
  const remove = isRemove(e.eventName);

  const responseElements: Record<string, string> = {};
  if (remove) responseElements["content-length"] = "0";
  responseElements["x-amz-id-2"] = opts.nodeIdHash ?? DEFAULT_NODE_ID_HASH;
  responseElements["x-amz-request-id"] = opts.requestId ?? sequencer;
  responseElements["x-minio-deployment-id"] = opts.deploymentId ?? DEFAULT_DEPLOYMENT_ID;
  responseElements["x-minio-origin-endpoint"] = opts.originEndpoint ?? DEFAULT_ORIGIN_ENDPOINT;

  // Go omitempty: size 0 and empty strings are left out; removes carry none of them.
  const contentType = remove ? undefined : (opts.contentType ?? e.contentType);
  const userMetadata =
    !remove && opts.userMetadata && Object.keys(opts.userMetadata).length > 0
      ? Object.fromEntries(Object.entries(opts.userMetadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : undefined;
  const object: MinioRecord["s3"]["object"] = {
    key: encodeMinioKey(e.key),
    ...(!remove && e.size ? { size: e.size } : {}),
    ...(!remove && e.etag ? { eTag: e.etag } : {}),
    ...(contentType ? { contentType } : {}),
    ...(userMetadata ? { userMetadata } : {}),
    sequencer,
  };

  const record: MinioRecord = {
    eventVersion: "2.0",
    eventSource: "minio:s3",
    awsRegion: region,
    eventTime,
    eventName: e.eventName,
    userIdentity: { principalId },
    requestParameters: { principalId, region, sourceIPAddress: sourceIp },
    responseElements,
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "Config",
      bucket: { name: e.bucket, ownerIdentity: { principalId }, arn: `arn:aws:s3:::${e.bucket}` },
      object,
    },
    source: { host: sourceIp, port: "", userAgent: opts.userAgent ?? DEFAULT_USER_AGENT },
  };
  return { EventName: e.eventName, Key: `${e.bucket}/${e.key}`, Records: [record] };
}

/**
 * Strictly increasing nanosecond timestamps (wall clock with sub-millisecond resolution from
 * performance.now(); +1 ns when the clock has not moved), formatted like MinIO's sequencer.
 */
export function createSequencer(nowNs: () => bigint = wallClockNs): () => string {
  let last = 0n;
  return () => {
    const now = nowNs();
    last = now > last ? now : last + 1n;
    return formatSequencer(last);
  };
}

function wallClockNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6));
}

/** MinIO's Authorization rule (docs/notifications.md, "Authorization"): one word → Bearer, two words → as is, otherwise no header. */
export function authorizationHeader(authToken: string): string | undefined {
  const words = authToken.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 1) return `Bearer ${authToken}`;
  if (words.length === 2) return authToken;
  return undefined;
}

export interface MinioNotifierOptions {
  endpoint: string;
  authToken: string;
  fetch?: typeof fetch;
  /** Waits between attempts; default DEFAULT_RETRY_DELAYS_MS (6 attempts in all). */
  retryDelaysMs?: readonly number[];
  /** what the waits between attempts are measured on */
  clock?: Pick<Clock, "sleep">;
  /** Called once an event is given up on. */
  onError?: (err: unknown, e: S3ObjectEvent) => void;
  /** Per-attempt timeout; MinIO's response-header timeout is 60 s. */
  timeoutMs?: number;
  /** Passed to minioBody for every event (sequencer is always the notifier's own). */
  body?: Omit<MinioBodyOptions, "sequencer">;
  log?: EmbeddedLog;
}

export interface MinioNotifier {
  /** Queues the event; resolves when it was delivered or given up on (never rejects). */
  notify(e: S3ObjectEvent): Promise<void>;
  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void>;
}

/** 0.25 s doubling to 4 s: about 8 s of retries, then the event is given up on (reconcile finds the change). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = backoffDelays({ firstMs: 250, maxMs: 4_000 }, 5);

export function createMinioNotifier(opts: MinioNotifierOptions): MinioNotifier {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const auth = authorizationHeader(opts.authToken);
  const nextSequencer = createSequencer();
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Go-http-client/1.1" };
  if (auth !== undefined) headers["Authorization"] = auth;

  let tail: Promise<void> = Promise.resolve();

  async function sendOnce(json: string): Promise<void> {
    const res = await doFetch(opts.endpoint, { method: "POST", headers, body: json, signal: AbortSignal.timeout(timeoutMs) });
    // MinIO drains and ignores the body.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) {
      const hint = res.status === 403 ? "please check if your auth token is correctly set" : "please check your endpoint configuration";
      throw new Error(`${opts.endpoint} returned '${res.status} ${res.statusText}', ${hint}`);
    }
  }

  async function deliver(e: S3ObjectEvent, json: string): Promise<void> {
    try {
      await retrying(() => sendOnce(json), {
        delays,
        clock,
        onRetry: (err, attempt, delayMs) => opts.log?.("minio notifier: retrying", { bucket: e.bucket, key: e.key, attempt, delayMs, error: errorText(err) }),
      });
    } catch (err) {
      opts.log?.("minio notifier: giving up", { bucket: e.bucket, key: e.key, eventName: e.eventName, attempts: delays.length + 1, error: errorText(err) });
      try {
        opts.onError?.(err, e);
      } catch {
        // A throwing onError must not stall the queue.
      }
    }
  }

  return {
    notify(e) {
      // Built at enqueue time so the sequencer follows notify() order and retries resend identical bytes.
      const json = JSON.stringify(minioBody(e, { ...opts.body, sequencer: nextSequencer() }));
      const done = tail.then(() => deliver(e, json));
      tail = done;
      return done;
    },
    async idle() {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
