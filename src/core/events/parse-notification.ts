/**
 * Validates a webhook body (already JSON-parsed) and turns it into notification records.
 *
 * Accepted shapes (reference/minio-workers.md A.1):
 * - MinIO: `{EventName, Key, Records: [one record]}`. `Key` is `bucket + "/" + decoded key`; when present it
 *   is cross-checked against the record (and then exactly one record is required); `EventName`, when present,
 *   must equal `Records[0].eventName`.
 * - AWS S3 / s3rver: `{Records: [...]}` with 1–1000 records, event names without the `s3:` prefix.
 *
 * Only what botsync uses is required: `eventName`, `s3.bucket.name`, `s3.object.key` (strings). `eTag`, `size`,
 * `versionId`, `sequencer`, `eventTime` are optional but type-checked when present; `null` counts as absent.
 * Everything else (requestParameters: null, source.port: "", awsRegion: "", unknown fields) is ignored.
 *
 * Normalisation:
 * - key: decoded with decodeMinioKey (Go url.QueryEscape: `%2F`, `+` = space).
 * - etag: surrounding double quotes stripped; "" → absent.
 * - versionId: "" → absent.
 * - sequencer: must be a string if present. If it is hex it is upper-cased, stripped of leading zeros and
 *   left-padded to 16 digits, so plain string comparison orders it. A non-hex sequencer, or one with more than
 *   16 significant hex digits (not a MinIO UnixNano), is treated as absent rather than rejecting the event:
 *   it is only an ordering hint and reconcile is the guarantee.
 *
 * Limits checked before any decoding, so hostile bodies are cheap to refuse: 1000 records, bucket name 63
 * characters, escaped key 3072 characters, eventName 256, eventTime/versionId/eTag/sequencer 1024.
 *
 * Every failure throws BotsyncError("INVALID_NOTIFICATION", "<path>: <problem>").
 */
import { BotsyncError } from "../errors.js";
import { classifyEventName, type EventAction } from "./event-names.js";
import { decodeMinioKey } from "./minio-key.js";

export interface NotificationRecord {
  eventName: string;
  action: EventAction;
  ignoreReason?: string;
  bucket: string;
  /** Decoded object key. */
  key: string;
  /** Unquoted. */
  etag?: string;
  size?: number;
  versionId?: string;
  /** Upper-case hex, left-padded with zeros to 16 characters. */
  sequencer?: string;
  eventTime?: string;
}

export const MAX_RECORDS = 1000;
export const MAX_BUCKET_LENGTH = 63;
export const MAX_ESCAPED_KEY_LENGTH = 3072;
const MAX_EVENT_NAME_LENGTH = 256;
const MAX_SHORT_FIELD_LENGTH = 1024;

type Obj = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new BotsyncError("INVALID_NOTIFICATION", `${path}: ${problem}`);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, v === undefined ? "missing, expected object" : `expected object, got ${typeName(v)}`);
  return v;
}

function str(v: unknown, path: string, max: number): string {
  if (typeof v !== "string") fail(path, v === undefined ? "missing, expected string" : `expected string, got ${typeName(v)}`);
  if (v.length > max) fail(path, `too long (${v.length} > ${max} characters)`);
  return v;
}

function optStr(v: unknown, path: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  return str(v, path, max);
}

const HEX_RE = /^[0-9A-Fa-f]+$/;

/** Exported for reuse (e.g. by notifiers that build sequencers). undefined when not a usable hex sequencer. */
export function normaliseSequencer(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > 64 || !HEX_RE.test(raw)) return undefined;
  const significant = raw.replace(/^0+/, "").toUpperCase();
  if (significant.length > 16) return undefined;
  return significant.padStart(16, "0");
}

/** Strips one pair of surrounding double quotes (`"abc"` → `abc`). */
export function unquoteEtag(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

function parseRecord(raw: unknown, path: string): NotificationRecord {
  const r = obj(raw, path);
  const eventName = str(r["eventName"], `${path}.eventName`, MAX_EVENT_NAME_LENGTH);
  const s3 = obj(r["s3"], `${path}.s3`);
  const bucketObj = obj(s3["bucket"], `${path}.s3.bucket`);
  const bucket = str(bucketObj["name"], `${path}.s3.bucket.name`, MAX_BUCKET_LENGTH);
  const o = obj(s3["object"], `${path}.s3.object`);
  const escapedKey = str(o["key"], `${path}.s3.object.key`, MAX_ESCAPED_KEY_LENGTH);
  let key: string;
  try {
    key = decodeMinioKey(escapedKey);
  } catch {
    fail(`${path}.s3.object.key`, `not valid query-escaped UTF-8: ${JSON.stringify(escapedKey.slice(0, 200))}`);
  }

  const record: NotificationRecord = { eventName, action: "ignore", bucket, key };
  const c = classifyEventName(eventName);
  record.action = c.action;
  if (c.action === "ignore") record.ignoreReason = c.reason;

  const etag = optStr(o["eTag"], `${path}.s3.object.eTag`, MAX_SHORT_FIELD_LENGTH);
  if (etag !== undefined) {
    const unquoted = unquoteEtag(etag);
    if (unquoted !== "") record.etag = unquoted;
  }

  const size = o["size"];
  if (size !== undefined && size !== null) {
    if (typeof size !== "number") fail(`${path}.s3.object.size`, `expected number, got ${typeName(size)}`);
    if (!Number.isSafeInteger(size) || size < 0) fail(`${path}.s3.object.size`, `expected a non-negative integer, got ${size}`);
    record.size = size;
  }

  const versionId = optStr(o["versionId"], `${path}.s3.object.versionId`, MAX_SHORT_FIELD_LENGTH);
  if (versionId !== undefined && versionId !== "") record.versionId = versionId;

  const sequencer = optStr(o["sequencer"], `${path}.s3.object.sequencer`, MAX_SHORT_FIELD_LENGTH);
  if (sequencer !== undefined) {
    const normalised = normaliseSequencer(sequencer);
    if (normalised !== undefined) record.sequencer = normalised;
  }

  const eventTime = optStr(r["eventTime"], `${path}.eventTime`, MAX_SHORT_FIELD_LENGTH);
  if (eventTime !== undefined && eventTime !== "") record.eventTime = eventTime;

  return record;
}

export function parseNotification(body: unknown): NotificationRecord[] {
  const b = obj(body, "body");
  const rawRecords = b["Records"];
  if (!Array.isArray(rawRecords)) {
    fail("Records", rawRecords === undefined ? "missing, expected array" : `expected array, got ${typeName(rawRecords)}`);
  }
  if (rawRecords.length === 0) fail("Records", "must not be empty");
  if (rawRecords.length > MAX_RECORDS) fail("Records", `too many records (${rawRecords.length} > ${MAX_RECORDS})`);

  // MinIO's top-level fields: type-check before the (more expensive) per-record work.
  const topKey = optStr(b["Key"], "Key", MAX_BUCKET_LENGTH + 1 + MAX_ESCAPED_KEY_LENGTH);
  const topEventName = optStr(b["EventName"], "EventName", MAX_EVENT_NAME_LENGTH);
  if (topKey !== undefined && rawRecords.length !== 1) {
    fail("Records", `a MinIO body (with Key) must have exactly one record, got ${rawRecords.length}`);
  }

  const records = rawRecords.map((r, i) => parseRecord(r, `Records[${i}]`));

  const first = records[0]!;
  if (topKey !== undefined) {
    const expected = `${first.bucket}/${first.key}`;
    if (topKey !== expected) {
      fail("Key", `does not match Records[0] bucket/key: ${JSON.stringify(topKey.slice(0, 200))} != ${JSON.stringify(expected.slice(0, 200))}`);
    }
  }
  if (topEventName !== undefined && topEventName !== first.eventName) {
    fail("EventName", `does not match Records[0].eventName: ${JSON.stringify(topEventName)} != ${JSON.stringify(first.eventName)}`);
  }
  return records;
}
