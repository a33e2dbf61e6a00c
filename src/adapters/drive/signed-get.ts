/**
 * GetObject of a small object as one signed `fetch`, without the AWS SDK's middleware stack: a job that
 * reads a config.csv or a dialog sits on the webhook's path to the commit, and there the SDK's stack
 * (endpoint rules, checksums, retries, its stream wrappers) cost more CPU than the request itself —
 * measured against s3rver, 2.9 ms CPU per GET of a 1.5 KB file through the SDK, 1.7 ms this way
 * (BENCHMARKS.md, "What each step bought"). The rest of the drive stays on the SDK.
 */
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { driveUnavailable } from "./drive-error.js";
import { unquoteEtag } from "../../core/events/parse-notification.js";
import { objectTooLargeError, type DriveObject } from "../../core/ports/drive.js";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedGetOptions {
  /** the S3 endpoint; path-style addressing, as the rest of the drive */
  endpoint: string;
  region: string;
  /** the keys, read again by the signer when they expire */
  credentials: () => Promise<Credentials & { expiration?: Date }>;
  fetch?: typeof fetch;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 and HMAC-SHA-256 in the shape the signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export class SignedGet {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly fetch: typeof fetch;

  constructor(options: SignedGetOptions) {
    this.base = new URL(options.endpoint);
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    // S3 signs the path as sent (no second encoding), as the SDK's S3 client does.
    this.signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: "s3", sha256: Sha256, uriEscapePath: false });
  }

  /** The object's bytes and the ETag of exactly those bytes; null when the object (or its bucket) does not exist. */
  async getObject(bucket: string, key: string, maxBytes: number): Promise<DriveObject | null> {
    const path = `${this.base.pathname.replace(/\/$/, "")}/${bucket}/${encodeKey(key)}`;
    let response: Response;
    try {
      response = await this.send(path);
    } catch {
      // A keep-alive connection the server closed as we wrote to it: once more on a new one, as the SDK did.
      response = await this.send(path);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) {
      const text = (await response.text().catch(() => "")).slice(0, 300);
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? "";
      throw driveUnavailable(`GetObject ${response.status}${code ? ` ${code}` : ""}`, response.status);
    }
    const etag = unquoteEtag(response.headers.get("etag") ?? "");
    const declared = Number(response.headers.get("content-length") ?? 0);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw objectTooLargeError(`${bucket}/${key}`, declared, maxBytes, etag);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw objectTooLargeError(`${bucket}/${key}`, bytes.byteLength, maxBytes, etag);
    const modified = response.headers.get("last-modified");
    return { key, etag, size: bytes.byteLength, lastModified: modified ? new Date(modified) : undefined, bytes };
  }

  private async send(path: string): Promise<Response> {
    const signed = await this.signer.sign({
      method: "GET",
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port ? Number(this.base.port) : undefined,
      path,
      query: {},
      headers: { host: this.base.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    });
    return this.fetch(`${this.base.origin}${path}`, { headers: signed.headers as Record<string, string> });
  }
}

/** An object key as S3 expects it in the path: every byte but the unreserved ones and `/` percent-encoded. */
export function encodeKey(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}
