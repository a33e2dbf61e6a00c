/**
 * Minimal types for s3rver@3.7.1 (the package ships none). Only what src/adapters/embedded uses.
 * S3rver is a Koa application, so it is an EventEmitter: `event` carries an AWS-shaped notification
 * (lib/models/event.js), `error` every request error (Koa).
 */
declare module "s3rver" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  import { EventEmitter } from "node:events";

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    serviceEndpoint?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }

  /** One record of the `event` payload (AWS shape; eventName has no `s3:` prefix). */
  export interface S3rverEventRecord {
    eventVersion: string;
    eventSource: string;
    awsRegion: string;
    eventTime: string;
    eventName: string;
    userIdentity: { principalId: string };
    requestParameters: { sourceIPAddress?: string };
    responseElements: Record<string, string>;
    s3: {
      s3SchemaVersion: string;
      configurationId: string;
      bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
      object: { key: string; sequencer: string; size?: number; eTag?: string };
    };
  }

  export interface S3rverEvent {
    Records: S3rverEventRecord[];
  }

  /** Result of FilesystemStore#getMetadata: stored metadata plus quoted etag, size and mtime. */
  export interface S3rverObjectMetadata {
    etag: string;
    "content-length": number;
    "last-modified": string;
    "content-type"?: string;
    [header: string]: string | number | undefined;
  }

  export interface S3rverStore {
    getMetadata(bucket: string, key: string): Promise<S3rverObjectMetadata>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    putBucket(bucket: string): Promise<void>;
  }

  export default class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    readonly store: S3rverStore;
    logger?: { close(): void };
    silent: boolean;
    /** Koa request listener. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    reset(): void;
  }
}
