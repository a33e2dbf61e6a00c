/**
 * The shapes of the HTTP API: request schemas validate (a failure is a 400 naming the field), response
 * schemas type the handlers and the CLI's client, and both generate the OpenAPI document.
 */
import { z } from "@hono/zod-openapi";
import { botNameProblem } from "../../core/paths/bot-name.js";
import { kbNameProblem } from "../../core/kb/kb-path.js";
import { textProblem } from "../../core/text/storable-text.js";
import { DIALOG_MAX_BYTES } from "../../core/dialogs/dialog-object-job.js";

// ---- requests -------------------------------------------------------------------------------------------

/** Text PostgreSQL can store: a NUL would otherwise surface as a 500 from the database. */
const storable = z.string().superRefine((text, ctx) => {
  const problem = textProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** `?x=` counts as not given, as it always has. */
function optionalQuery<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
}

const botName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = botNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: `not a valid bot name: ${JSON.stringify(name.slice(0, 80))} (${problem})`, params: { code: "INVALID_BOT_NAME" } });
  })
  .openapi({ description: "bot name: lower-case letters, digits and '-'", example: "demo" });

const kbName = storable.superRefine((name, ctx) => {
  const problem = kbNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const botParams = z.object({ bot: botName.openapi({ param: { name: "bot", in: "path" } }) });

export const eventsQuery = z.object({
  limit: optionalQuery(z.coerce.number().int().min(1).max(1000)).default(100).openapi({ description: "1–1000, default 100", type: "integer" }),
  bot: optionalQuery(botName).openapi({ description: "only this bot's events" }),
});

export const kbQuery = z.object({ kb: optionalQuery(kbName).openapi({ description: "only this KB" }) });

export const kbSearchQuery = kbQuery.extend({
  q: storable
    .transform((q) => q.trim())
    .pipe(z.string().min(1).max(1000))
    .openapi({ description: "the query, 1–1000 characters" }),
  limit: optionalQuery(z.coerce.number().int().min(1).max(100)).default(10).openapi({ description: "1–100, default 10", type: "integer" }),
});

export const validateBody = z.object({
  kind: z.enum(["bas", "config"]),
  name: optionalQuery(storable.max(200)).openapi({ description: "the dialog's name (tool name); default script / config" }),
  text: z.string().max(DIALOG_MAX_BYTES).openapi({ description: "the .bas or config.csv text (at most the size a dialog job accepts)" }),
});

// ---- responses ------------------------------------------------------------------------------------------

const isoTime = z.string().describe("ISO 8601 timestamp");
const diagnostic = z.object({
  severity: z.enum(["error", "warning"]),
  code: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const botSummary = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  objects: z.number().int(),
  synced: z.number().int(),
  pending: z.number().int(),
  retrying: z.number().int(),
  failed: z.number().int(),
  lastEventAt: isoTime.nullable(),
  configSyncedAt: isoTime.nullable(),
});

export const objectState = z.object({
  key: z.string(),
  filePath: z.string(),
  fileType: z.string(),
  present: z.boolean().describe("false while a removal is pending"),
  status: z.enum(["pending", "synced", "retry", "failed"]),
  leased: z.boolean().describe("a worker is processing it right now"),
  etag: z.string().nullable().describe("newest ETag known"),
  processedEtag: z.string().nullable().describe("ETag of the bytes last applied"),
  processedAt: isoTime.nullable(),
  size: z.number().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  diagnostics: z.array(diagnostic),
});

export const configSync = z.object({
  configFilePath: z.string(),
  fileHash: z.string().describe("the processed ETag"),
  lastSyncAt: isoTime,
  syncCount: z.number().int(),
  ownedKeys: z.number().int().describe("keys written by config.csv"),
  diagnostics: z.array(diagnostic),
});

export const driftEntry = z.object({
  key: z.string(),
  kind: z.enum(["untracked", "etag-differs", "not-processed", "deleted-in-bucket"]),
  bucketEtag: z.string().nullable(),
  knownEtag: z.string().nullable(),
  processedEtag: z.string().nullable(),
  status: z.string().nullable(),
});

export const subscription = z
  .object({
    mode: z.enum(["minio", "ceph"]).describe("S3_NOTIFY"),
    state: z
      .enum(["subscribed", "not-subscribed", "wrong-target", "unknown"])
      .describe("as the storage server has it; unknown when it could not be asked (see error)"),
    target: z.string().nullable().describe("MinIO's webhook target ARN or radosgw's topic ARN; null when unknown"),
    problems: z.array(z.string()).optional().describe("what is wrong, including botsync's last refused attempt to subscribe the bucket"),
    error: z.string().optional(),
  })
  .nullable()
  .describe("whether the bucket is subscribed to botsync's notifications; null when S3_NOTIFY is off (and in the Worker)");

export const botDetail = z.object({
  bot: botSummary,
  objects: z.array(objectState),
  configSync: configSync.nullable(),
  drift: z.object({
    inSync: z.boolean().nullable().describe("null when the bucket could not be listed"),
    entries: z.array(driftEntry),
    error: z.string().optional(),
  }),
  subscription,
});

export const configList = z.object({
  bot: z.string(),
  sync: configSync.nullable(),
  config: z.array(
    z.object({
      key: z.string(),
      value: z.string().describe('"********" when masked'),
      masked: z.boolean().describe("the key holds a secret; its value is never shown"),
      type: z.string(),
      isEncrypted: z.boolean().describe("stored sealed (AES-256-GCM, 1:{nonce}:{ciphertext})"),
      source: z.enum(["config.csv", "other"]),
      updatedAt: isoTime,
    }),
  ),
});

export const reconcileReport = z.object({
  status: z.enum(["done", "busy"]),
  startedAt: isoTime,
  durationMs: z.number(),
  queued: z.number().int(),
  buckets: z.array(
    z.object({
      bucket: z.string(),
      bot: z.string(),
      objects: z.number().int(),
      queued: z.number().int(),
      removed: z.number().int(),
      skipped: z.array(z.object({ key: z.string(), reason: z.string() })),
      error: z.string().optional(),
    }),
  ),
  ignoredBuckets: z.array(z.object({ bucket: z.string(), reason: z.string() })),
});

export const eventList = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      receivedAt: isoTime,
      source: z.string(),
      eventName: z.string(),
      bucket: z.string(),
      key: z.string(),
      etag: z.string().nullable(),
      outcome: z.enum(["queued", "duplicate", "stale", "ignored"]).describe("what ingest decided"),
      reason: z.string().nullable(),
      result: z
        .enum(["ignored", "duplicate", "stale", "processed", "superseded", "pending", "retrying", "failed", "removed"])
        .describe("what became of it"),
      objectStatus: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});

const dialogDiagnostic = diagnostic.extend({ endLine: z.number().int().optional(), endColumn: z.number().int().optional() });

export const dialogList = z.object({
  bot: z.string(),
  dialogs: z.array(
    z.object({
      key: z.string(),
      filePath: z.string(),
      status: z.enum(["pending", "synced", "retry", "failed"]),
      etag: z.string().nullable(),
      processedEtag: z.string().nullable(),
      lastError: z.string().nullable().describe("e.g. the first syntax error; the last good .ast is kept"),
      diagnostics: z.array(dialogDiagnostic),
      tool: z.object({ name: z.string(), active: z.boolean(), compiledAt: isoTime, astPath: z.string() }).nullable(),
      schedules: z.array(z.string()).describe("cron expressions in system_automations"),
    }),
  ),
});

export const validation = z.union([
  z.object({
    kind: z.literal("bas"),
    ok: z.boolean(),
    diagnostics: z.array(dialogDiagnostic),
    artifacts: z.object({ ast: z.string(), mcp: z.unknown(), tool: z.unknown() }).nullable(),
    schedules: z.array(z.string()),
  }),
  z.object({
    kind: z.literal("config"),
    ok: z.boolean(),
    diagnostics: z.array(dialogDiagnostic),
    entries: z.array(z.object({ key: z.string(), value: z.string(), type: z.string(), line: z.number().int(), encrypted: z.boolean() })),
  }),
]);

export const kbList = z.object({
  bot: z.string(),
  kbs: z.array(z.object({ name: z.string(), documents: z.number().int(), indexed: z.number().int(), failed: z.number().int(), chunks: z.number().int() })),
  documents: z.array(
    z.object({
      kb: z.string(),
      key: z.string(),
      filePath: z.string(),
      status: z.enum(["pending", "synced", "retry", "failed"]),
      etag: z.string().nullable(),
      processedEtag: z.string().nullable(),
      lastError: z.string().nullable(),
      diagnostics: z.array(diagnostic),
      chunks: z.number().int().nullable(),
      indexedAt: isoTime.nullable(),
    }),
  ),
});

export const kbSearch = z.object({
  bot: z.string(),
  query: z.string(),
  mode: z.enum(["vector", "fulltext"]).describe("vector when the bot has an embedding endpoint, full-text search otherwise"),
  note: z.string().optional().describe("why a bot with an embedding endpoint got full-text results (no pgvector on the database, embedding server down)"),
  hits: z.array(
    z.object({ kb: z.string(), documentPath: z.string(), chunkIndex: z.number().int(), text: z.string(), start: z.number().int(), end: z.number().int(), score: z.number() }),
  ),
});

export const webhookAccepted = z.object({
  received: z.number().int(),
  records: z.array(
    z.object({
      bucket: z.string(),
      key: z.string(),
      eventName: z.string(),
      outcome: z.enum(["queued", "duplicate", "stale", "ignored"]),
      reason: z.string().optional(),
    }),
  ),
});

export const health = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional(), source: z.string().optional() })),
});
