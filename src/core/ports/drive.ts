/** The object store (MinIO, or the embedded S3 server), as the domain needs it. */
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
