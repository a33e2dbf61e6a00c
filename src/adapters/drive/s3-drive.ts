import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  ListBucketsCommand,
  NoSuchKey,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { unquoteEtag } from "../../core/events/parse-notification.js";
import { objectTooLargeError, type Drive, type DriveObject, type DriveObjectInfo, type DriveObjectStream, type StreamingDrive } from "../../core/ports/drive.js";
import { drive, driveError } from "./drive-error.js";
import { SignedGet } from "./signed-get.js";

export interface S3DriveOptions {
  endpoint: string;
  region: string;
  /** fixed keys, or a provider read again every `credentialsTtlMs` (keys rotated in Vault) */
  credentials: { accessKeyId: string; secretAccessKey: string } | (() => Promise<{ accessKeyId: string; secretAccessKey: string }>);
  credentialsTtlMs?: number;
}

// The pinned SDK supports Node 20; its start-up warning is about releases after January 2027, which
// package.json does not take. Operators can still see it by setting the variable to "false".
if (typeof process !== "undefined" && process.env) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** MinIO (or any S3-compatible server) with path-style addressing, as the botserver uses it. */
export class S3Drive implements Drive, StreamingDrive {
  private readonly client: S3Client;
  private readonly signedGet: SignedGet;

  constructor(options: S3DriveOptions) {
    const credentials = options.credentials;
    this.signedGet = new SignedGet({
      endpoint: options.endpoint,
      region: options.region,
      credentials: typeof credentials === "function" ? refreshing(credentials, options.credentialsTtlMs ?? 300_000) : async () => credentials,
    });
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials:
        typeof options.credentials === "function"
          ? refreshing(options.credentials, options.credentialsTtlMs ?? 300_000)
          : options.credentials,
      // Jobs and reconcile have their own retry; the SDK's three attempts with backoff would only delay them.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
    });
  }

  listBuckets(): Promise<string[]> {
    return drive(async () => {
      const out = await this.client.send(new ListBucketsCommand({}));
      return (out.Buckets ?? []).map((b) => b.Name).filter((n): n is string => typeof n === "string");
    });
  }

  listObjects(bucket: string): Promise<DriveObjectInfo[]> {
    return drive(async () => {
      const objects: DriveObjectInfo[] = [];
      for await (const page of paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: bucket })) {
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined) continue;
          objects.push({ key: o.Key, etag: unquoteEtag(o.ETag ?? ""), size: o.Size ?? 0, lastModified: o.LastModified });
        }
      }
      return objects;
    });
  }

  /** On the path from a webhook to its commit: one signed fetch instead of the SDK (signed-get.ts says why). */
  getObject(bucket: string, key: string, maxBytes: number): Promise<DriveObject | null> {
    return drive(() => this.signedGet.getObject(bucket, key, maxBytes));
  }

  statObject(bucket: string, key: string): Promise<DriveObjectInfo | null> {
    return drive(async () => {
      try {
        const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { key, etag: unquoteEtag(out.ETag ?? ""), size: out.ContentLength ?? 0, lastModified: out.LastModified };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    });
  }

  openObject(bucket: string, key: string, maxBytes: number): Promise<DriveObjectStream | null> {
    return drive(async () => {
      const out = await this.get(bucket, key, maxBytes);
      if (!out) return null;
      const size = out.ContentLength ?? 0;
      return { key, etag: unquoteEtag(out.ETag ?? ""), size, lastModified: out.LastModified, body: byteStream(out.Body, size) };
    });
  }

  /** GetObject, refused before its body is read when it declares more than maxBytes; null when missing. */
  private async get(bucket: string, key: string, maxBytes: number) {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const declared = out.ContentLength ?? 0;
      if (declared > maxBytes) {
        await out.Body?.transformToWebStream().cancel();
        throw objectTooLargeError(`${bucket}/${key}`, declared, maxBytes, unquoteEtag(out.ETag ?? ""));
      }
      return out;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  putObject(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    return drive(async () => {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    });
  }

  deleteObject(bucket: string, key: string): Promise<void> {
    return drive(async () => {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    });
  }

  bucketExists(bucket: string): Promise<boolean> {
    return drive(async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
        throw error;
      }
    });
  }

  async check(): Promise<void> {
    await this.listBuckets();
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The SDK re-reads credentials once they pass `expiration`. */
function refreshing(provider: () => Promise<{ accessKeyId: string; secretAccessKey: string }>, ttlMs: number) {
  return async () => ({ ...(await provider()), expiration: new Date(Date.now() + ttlMs) });
}

function isNotFound(error: unknown): boolean {
  return error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
}

/**
 * The SDK's body (a Node Readable on Node, a web stream in workerd) as a web stream that reads only when its
 * consumer pulls — nothing is buffered ahead — and whose cancel ends the request. A body that ends short of
 * its Content-Length (the connection dropped) is an error, never a shorter document.
 */
function byteStream(body: unknown, size: number): ReadableStream<Uint8Array> {
  const source = chunksOf(body);
  let received = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await source.next();
          if (next.done) {
            if (received < size) throw new Error(`the object's body ended after ${received} of ${size} bytes`);
            controller.close();
            return;
          }
          received += next.value.byteLength;
          controller.enqueue(next.value);
        } catch (error) {
          controller.error(driveError(error));
        }
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

function chunksOf(body: unknown): AsyncIterator<Uint8Array> {
  if (body && typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      return: async () => {
        await reader.cancel();
        return { done: true, value: undefined };
      },
    };
  }
  // a Node Readable: returning from its iterator destroys it, which closes the connection
  if (body && Symbol.asyncIterator in (body as object)) return (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return { next: async () => ({ done: true, value: undefined }) };
}
