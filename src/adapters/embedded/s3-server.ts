/**
 * Embedded S3-compatible object storage (s3rver) for `npm start` with nothing configured and for tests
 * (README, "Runtimes"). Its object events are converted to S3ObjectEvent and handed to
 * `onEvent`, which the caller typically feeds to the MinIO notifier (./minio-notifier.ts) so the webhook
 * path is the same as in production.
 *
 * s3rver 3.7.1 behaviour worth knowing (lib/controllers/object.js, lib/stores/filesystem.js):
 * - PutObject → ObjectCreated:Put; browser POST upload → ObjectCreated:Post; CompleteMultipartUpload →
 *   **ObjectCreated:Post** too (MinIO says s3:ObjectCreated:CompleteMultipartUpload), and its ETag is the
 *   plain MD5 of the whole object, not MinIO/AWS's `md5-of-part-md5s-N`.
 * - CopyObject → ObjectCreated:Copy **without an eTag**; we read it back from the store (a HEAD on disk).
 *   If the object changed or vanished in between, the eTag is the newer one or left undefined.
 * - DeleteObject of an existing key → ObjectRemoved:Delete; of a missing key → no event (MinIO: NoOP).
 * - **DeleteObjects (multi-object delete) emits no events at all**; reconcile has to notice.
 * - Tagging/ACL changes emit nothing.
 * - CopySource is decoded with `decodeURI`, so `+`, `/`, `?`, `#`… must be sent literally and only
 *   non-ASCII / spaces %-escaped (`encodeURI("bucket/" + key)`), unlike real S3/MinIO.
 * - Any credentials are accepted (signatures are checked against the dummy account S3RVER/S3RVER).
 *
 * Events are delivered to `onEvent` in the order s3rver emitted them, after one metadata read per
 * created object (for contentType, and for the eTag of copies). `idle()` resolves when all delivered.
 */
import { mkdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import { unquoteEtag } from "../../core/events/parse-notification.js";
import type { S3rverEvent, S3rverEventRecord } from "s3rver";

export interface S3ObjectEvent {
  eventName: "s3:ObjectCreated:Put" | "s3:ObjectCreated:Post" | "s3:ObjectCreated:Copy" | "s3:ObjectRemoved:Delete";
  bucket: string;
  /** Raw object key, not escaped. */
  key: string;
  /** Unquoted. Undefined on removes (and on a copy whose target vanished before we could read it). */
  etag?: string;
  size?: number;
  /** Content-Type as stored, when known (created events only). */
  contentType?: string;
  /** ISO 8601, millisecond precision, `Z`. */
  eventTime: string;
}

export interface EmbeddedS3 {
  /** `http://host:port`, for `@aws-sdk/client-s3` with `forcePathStyle: true`. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  port: number;
  /** Resolves once every event emitted so far has been handed to onEvent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type EmbeddedLog = (msg: string, fields?: object) => void;

export interface StartEmbeddedS3Options {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 = random free port; default 0. */
  port?: number;
  /** Where buckets and objects are stored (created if missing). */
  directory: string;
  onEvent?: (e: S3ObjectEvent) => void;
  /** Silence s3rver's own (winston) console logger; default true. */
  silent?: boolean;
  log?: EmbeddedLog;
}

/** s3rver's dummy account (lib/models/account.js); it accepts any key but these are the canonical ones. */
export const EMBEDDED_S3_ACCESS_KEY = "S3RVER";
export const EMBEDDED_S3_SECRET_KEY = "S3RVER";

const EVENT_NAMES: Record<string, S3ObjectEvent["eventName"]> = {
  "ObjectCreated:Put": "s3:ObjectCreated:Put",
  "ObjectCreated:Post": "s3:ObjectCreated:Post",
  "ObjectCreated:Copy": "s3:ObjectCreated:Copy",
  "ObjectRemoved:Delete": "s3:ObjectRemoved:Delete",
};


/** URL host part for a bind address (wildcards become loopback, IPv6 gets brackets). */
export function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmbeddedS3(opts: StartEmbeddedS3Options): Promise<EmbeddedS3> {
  const host = opts.host ?? "127.0.0.1";
  const requestedPort = opts.port ?? 0;
  const log = opts.log;
  await mkdir(opts.directory, { recursive: true });

  const app = new S3rver({ directory: opts.directory, silent: opts.silent ?? true, address: host, port: requestedPort });
  // With a listener attached Koa no longer prints request errors itself (404s on HEAD are routine).
  app.on("error", (err: unknown) => {
    const e = err as { status?: number; code?: string; message?: string };
    if (e.status !== undefined && e.status < 500) return;
    log?.("embedded s3: request error", { code: e.code, status: e.status, error: e.message });
  });

  let chain: Promise<void> = Promise.resolve();
  app.on("event", (payload: S3rverEvent) => {
    for (const record of payload.Records ?? []) {
      chain = chain.then(() => deliver(record)).catch((err: unknown) => {
        log?.("embedded s3: event delivery failed", { error: err instanceof Error ? err.message : String(err) });
      });
    }
  });

  async function deliver(record: S3rverEventRecord): Promise<void> {
    const eventName = EVENT_NAMES[record.eventName];
    if (!eventName) {
      log?.("embedded s3: ignoring unknown event", { eventName: record.eventName });
      return;
    }
    const bucket = record.s3.bucket.name;
    const key = record.s3.object.key;
    const event: S3ObjectEvent = { eventName, bucket, key, eventTime: new Date(record.eventTime).toISOString() };
    if (eventName !== "s3:ObjectRemoved:Delete") {
      if (record.s3.object.size !== undefined) event.size = Number(record.s3.object.size);
      if (record.s3.object.eTag) event.etag = unquoteEtag(record.s3.object.eTag);
      try {
        const meta = await app.store.getMetadata(bucket, key);
        const storedEtag = unquoteEtag(String(meta.etag));
        if (event.etag === undefined) {
          // Copy: s3rver's event has no eTag.
          event.etag = storedEtag;
          event.size = Number(meta["content-length"]);
        }
        // Only trust the stored content type if it belongs to the version this event is about.
        if (storedEtag === event.etag && typeof meta["content-type"] === "string") event.contentType = meta["content-type"];
      } catch {
        // Object already gone again (or replaced mid-read); the event still stands, minus what we could not read.
      }
    }
    opts.onEvent?.(event);
  }

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(
        new Error(
          `embedded S3 could not listen on ${host}:${requestedPort}: ${err.code === "EADDRINUSE" ? "port already in use" : err.message}`,
          { cause: err },
        ),
      );
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host, port: requestedPort });
  });
  server.on("error", (err) => log?.("embedded s3: server error", { error: err.message }));

  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${connectHost(host)}:${port}`;
  log?.("embedded s3: listening", { endpoint, directory: opts.directory });

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    accessKeyId: EMBEDDED_S3_ACCESS_KEY,
    secretAccessKey: EMBEDDED_S3_SECRET_KEY,
    port,
    idle: async () => {
      // The chain may grow while we wait.
      let seen: Promise<void>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          // SDK clients keep connections alive; drop idle ones now and any stragglers after a grace period.
          const force = setTimeout(() => server.closeAllConnections(), 2_000);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        await chain;
        app.logger?.close();
        log?.("embedded s3: closed", { endpoint });
      })();
      return closing;
    },
  };
}
