/**
 * Validates a webhook body (already JSON-parsed) and turns it into notification records.
 *
 * Accepted shapes (docs/notifications.md: "MinIO's webhook body", "AWS S3's shape", "Ceph RADOS Gateway"):
 * - MinIO: `{EventName, Key, Records: [one record]}`. `Key` is `bucket + "/" + decoded key`; when present it
 *   is cross-checked against the record (and then exactly one record is required); `EventName`, when present,
 *   must equal `Records[0].eventName`.
 * - AWS S3 / s3rver: `{Records: [...]}` with 1–1000 records, event names without the `s3:` prefix.
 * - Ceph RADOS Gateway: `{Records: [one record]}`, `eventSource: "ceph:s3"`, event names without `s3:`,
 *   `metadata`/`tags` as `[{key, val}]` arrays (not used), and `opaqueData`: the topic's OpaqueData, which
 *   botsync sets to the webhook token because radosgw's push carries no credentials.
 *
 * Only what botsync uses is required: `eventName`, `s3.bucket.name`, `s3.object.key` (strings). `eTag`, `size`,
 * `versionId`, `sequencer`, `eventTime` are optional but type-checked when present; `null` counts as absent.
 * Everything else (requestParameters: null, source.port: "", awsRegion: "", unknown fields) is ignored.
 *
 * Normalisation:
 * - key: decoded with decodeMinioKey (Go url.QueryEscape: `%2F`, `+` = space); radosgw's (`ceph:s3`) is
 *   taken as sent, because radosgw 16.2 does not escape it.
 * - etag: surrounding double quotes stripped; "" → absent.
 * - versionId: "" → absent.
 * - sequencer: must be a string if present. If it is hex it is upper-cased, stripped of leading zeros and
 *   left-padded to 16 digits, so plain string comparison orders it. A non-hex sequencer, or one with more than
 *   16 significant hex digits (not a MinIO UnixNano), is treated as absent rather than rejecting the event:
 *   it is only an ordering hint and reconcile is the guarantee. radosgw's sequencer is the event time as
 *   two little-endian 32-bit words (seconds, nanoseconds); it is reordered so that it compares as a time.
 * - sequencerSource: whose clock the sequencer comes from (see sequencerSourceOf); a sequencer is only ever
 *   compared with one of the same source.
 *
 * Text PostgreSQL cannot store (a NUL character in the bucket, the decoded key, eventName, eTag or
 * sequencer) does not fail the body: such a record is "ignore" with a reason, and the NUL is shown as the
 * six characters `\u0000` in it, so the event log can still record it. A non-2xx answer would block
 * MinIO's queue behind that event for good.
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
  /** Whose clock `sequencer` is (set whenever `sequencer` is): sequencers of different sources never compare. */
  sequencerSource?: string;
  eventTime?: string;
  /** The record's `eventSource` (`minio:s3`, `ceph:s3`, `aws:s3`), when sent. */
  eventSource?: string;
  /** radosgw's `opaqueData`: botsync's topics carry the webhook token in it (their push has no headers). */
  opaqueData?: string;
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
const NUL = "\u0000";

/** Exported for reuse (e.g. by notifiers that build sequencers). undefined when not a usable hex sequencer. */
export function normaliseSequencer(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > 64 || !HEX_RE.test(raw)) return undefined;
  const significant = raw.replace(/^0+/, "").toUpperCase();
  if (significant.length > 16) return undefined;
  return significant.padStart(16, "0");
}

/**
 * radosgw (16.2) hex-dumps a utime_t — seconds then nanoseconds, each a little-endian 32-bit word — so its
 * raw hex does not order. Reordered to big-endian it is the event time and compares as a string.
 */
export function normaliseCephSequencer(raw: string): string | undefined {
  if (!/^[0-9A-Fa-f]{16}$/.test(raw)) return undefined;
  const bytes = raw.toUpperCase().match(/../g)!;
  return [...bytes.slice(0, 4).reverse(), ...bytes.slice(4).reverse()].join("");
}

const MAX_SOURCE_PART_LENGTH = 128;

/**
 * Whose clock a record's sequencer comes from. A sequencer orders the events of one object from one
 * source at best; it is not a global clock:
 * - MinIO: the object's ModTime in ns, set by the node that handled the request; scoped to the deployment
 *   (`x-minio-deployment-id`). Nodes' clocks may still differ; an event with a new ETag is never stale
 *   anyway (plan-ingest), and a delete carries the deleted object's ModTime.
 * - radosgw: the gateway's clock when it built the event; scoped to the gateway process (`x-amz-id-2` is
 *   `<instance id>-<zone>-<zonegroup>`).
 * - AWS S3 and anything else: the eventSource alone.
 */
export function sequencerSourceOf(eventSource: string | undefined, responseElements: unknown): string {
  const source = eventSource ?? "unknown";
  const elements = isObj(responseElements) ? responseElements : {};
  const part = (name: string): string | undefined => {
    const v = elements[name];
    return typeof v === "string" && v !== "" && v.length <= MAX_SOURCE_PART_LENGTH ? v : undefined;
  };
  const instance = source === "minio:s3" ? part("x-minio-deployment-id") : source === "ceph:s3" ? part("x-amz-id-2") : undefined;
  // Stored next to the sequencer: never a NUL (see withoutNul).
  return (instance === undefined ? source : `${source} ${instance}`).replaceAll(NUL, "\\u0000");
}

/** Strips one pair of surrounding double quotes (`"abc"` → `abc`). */
export function unquoteEtag(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** The fields that reach PostgreSQL text columns, checked for NUL after decoding. */
const STORED_FIELDS = ["bucket", "key", "eventName", "etag", "sequencer"] as const;

function parseRecord(raw: unknown, path: string): NotificationRecord {
  const r = obj(raw, path);
  const eventName = str(r["eventName"], `${path}.eventName`, MAX_EVENT_NAME_LENGTH);
  const s3 = obj(r["s3"], `${path}.s3`);
  const bucketObj = obj(s3["bucket"], `${path}.s3.bucket`);
  const bucket = str(bucketObj["name"], `${path}.s3.bucket.name`, MAX_BUCKET_LENGTH);
  const o = obj(s3["object"], `${path}.s3.object`);
  const escapedKey = str(o["key"], `${path}.s3.object.key`, MAX_ESCAPED_KEY_LENGTH);
  const eventSource = optStr(r["eventSource"], `${path}.eventSource`, MAX_SHORT_FIELD_LENGTH);
  let key: string;
  if (eventSource === "ceph:s3") {
    // radosgw 16.2 sends the object name as it is (measured: `guia do usuário+v2.md` arrives verbatim).
    key = escapedKey;
  } else {
    try {
      key = decodeMinioKey(escapedKey);
    } catch {
      fail(`${path}.s3.object.key`, `not valid query-escaped UTF-8: ${JSON.stringify(escapedKey.slice(0, 200))}`);
    }
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

  if (eventSource !== undefined && eventSource !== "") record.eventSource = eventSource;

  const sequencer = optStr(o["sequencer"], `${path}.s3.object.sequencer`, MAX_SHORT_FIELD_LENGTH);
  if (sequencer !== undefined) {
    if (sequencer.includes(NUL)) record.sequencer = sequencer; // reported by withoutNul
    else {
      const normalised = record.eventSource === "ceph:s3" ? normaliseCephSequencer(sequencer) : normaliseSequencer(sequencer);
      if (normalised !== undefined) {
        record.sequencer = normalised;
        record.sequencerSource = sequencerSourceOf(record.eventSource, r["responseElements"]);
      }
    }
  }

  const eventTime = optStr(r["eventTime"], `${path}.eventTime`, MAX_SHORT_FIELD_LENGTH);
  if (eventTime !== undefined && eventTime !== "") record.eventTime = eventTime;

  const opaqueData = optStr(r["opaqueData"], `${path}.opaqueData`, MAX_SHORT_FIELD_LENGTH);
  if (opaqueData !== undefined && opaqueData !== "") record.opaqueData = opaqueData;

  return record;
}

/**
 * A record with a NUL in a stored field becomes "ignore" with a reason, with every NUL shown as the text
 * `\u0000` so the event log can record it. Done after the MinIO Key check, which compares the raw values.
 */
function withoutNul(record: NotificationRecord): NotificationRecord {
  const fields = STORED_FIELDS.filter((f) => record[f]?.includes(NUL));
  if (fields.length === 0) return record;
  const shown = (v: string) => v.replaceAll(NUL, "\\u0000");
  const clean: NotificationRecord = { ...record, action: "ignore" };
  for (const f of STORED_FIELDS) {
    const v = clean[f];
    if (v !== undefined) clean[f] = shown(v);
  }
  for (const f of ["versionId", "eventTime", "eventSource"] as const) {
    const v = clean[f];
    if (v !== undefined) clean[f] = shown(v);
  }
  if (fields.includes("sequencer")) {
    delete clean.sequencer;
    delete clean.sequencerSource;
  }
  clean.ignoreReason = `${fields.join(", ")} contains a NUL character (U+0000), which PostgreSQL text cannot store`;
  return clean;
}

/**
 * radosgw's push carries no headers but the body: its `opaqueData` (the same in every record), or
 * undefined. Cheap and total, so a webhook can authenticate before validating the whole body.
 */
export function notificationOpaqueData(body: unknown): string | undefined {
  if (!isObj(body) || !Array.isArray(body["Records"]) || body["Records"].length === 0) return undefined;
  let found: string | undefined;
  for (const r of body["Records"] as unknown[]) {
    const v = isObj(r) ? r["opaqueData"] : undefined;
    if (typeof v !== "string" || v === "" || (found !== undefined && v !== found)) return undefined;
    found = v;
  }
  return found;
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
  return records.map(withoutNul);
}
