/** The object store (MinIO, or the embedded S3 server), as the domain needs it. */
import { BotsyncError } from "../errors.js";

export interface DriveObjectInfo {
  key: string;
  /** unquoted */
  etag: string;
  size: number;
  lastModified?: Date;
}

export interface DriveObject extends DriveObjectInfo {
  bytes: Uint8Array;
}

/**
 * An object being read. Whoever takes `body` reads it to its end or cancels it; cancelling ends the
 * download (a reader that stops early never pulls the rest of a large object over the network).
 */
export interface DriveObjectStream extends DriveObjectInfo {
  /** a web stream, so the domain stays the same on Node and in workerd; errors are DRIVE_UNAVAILABLE */
  body: ReadableStream<Uint8Array>;
}

export interface Drive {
  listBuckets(): Promise<string[]>;
  /** false when the bucket does not exist (an event may name any bucket; only real ones become bots) */
  bucketExists(bucket: string): Promise<boolean>;
  /** every object of the bucket, all pages */
  listObjects(bucket: string): Promise<DriveObjectInfo[]>;
  /**
   * The object's bytes and the ETag of exactly those bytes; null when it does not exist.
   * Throws OBJECT_TOO_LARGE (with details.etag) before reading a body larger than maxBytes.
   */
  getObject(bucket: string, key: string, maxBytes: number): Promise<DriveObject | null>;
  /** throws DRIVE_UNAVAILABLE when the drive cannot be reached */
  check(): Promise<void>;
}

/**
 * Reading an object without holding it whole, for the jobs whose objects can be far larger than the memory
 * one job may take (knowledge-base documents up to 1 GiB).
 */
export interface StreamingDrive {
  /** The object's ETag and size without any of its bytes (HEAD); null when it does not exist. */
  statObject(bucket: string, key: string): Promise<DriveObjectInfo | null>;
  /**
   * Starts reading the object: its ETag, its size and its body as a stream; null when it does not exist.
   * Throws OBJECT_TOO_LARGE (with details.etag) without reading a body larger than maxBytes.
   */
  openObject(bucket: string, key: string, maxBytes: number): Promise<DriveObjectStream | null>;
}

/** OBJECT_TOO_LARGE for `what` (bucket/key), with the ETag the failure is recorded against. */
export function objectTooLargeError(what: string, size: number, max: number, etag: string): BotsyncError {
  return new BotsyncError("OBJECT_TOO_LARGE", `${what} is ${size} bytes; the limit for this kind of object is ${max}`, {
    details: { etag, size, max },
  });
}
