/**
 * Webhook → durable state. Each record ends up queued (the object will be synced), duplicate, stale, or
 * ignored with a reason — and every one of them is recorded before the webhook answers 2xx.
 */
import type { NotificationRecord } from "../events/parse-notification.js";
import type { ObjectJobHandlers } from "../jobs/object-job-handler.js";
import type { Logger } from "../ports/logger.js";
import type { EventMeta, IngestStore } from "../ports/state-store.js";
import { botNameFromBucket } from "../paths/bot-name.js";
import { classifyObject } from "../paths/classify-object.js";
import { filePathOf } from "../jobs/job-types.js";

export type RecordOutcome = "queued" | "duplicate" | "stale" | "ignored";

export interface IngestedRecord {
  bucket: string;
  key: string;
  eventName: string;
  outcome: RecordOutcome;
  reason?: string;
}

export interface IngestDeps {
  store: IngestStore;
  handlers: ObjectJobHandlers;
  /** LOAD_ONLY: when set, only these bots are synced */
  loadOnly: ReadonlySet<string> | null;
  log: Logger;
}

export async function ingestNotification(
  records: NotificationRecord[],
  deps: IngestDeps,
  source: EventMeta["source"] = "webhook",
): Promise<IngestedRecord[]> {
  const results: IngestedRecord[] = [];
  for (const record of records) results.push(await ingestRecord(record, deps, source));
  return results;
}

async function ingestRecord(record: NotificationRecord, deps: IngestDeps, source: EventMeta["source"]): Promise<IngestedRecord> {
  const meta: EventMeta = {
    source,
    eventName: record.eventName,
    bucket: record.bucket,
    key: record.key,
    etag: record.etag,
    sequencer: record.sequencer,
  };
  const base = { bucket: record.bucket, key: record.key, eventName: record.eventName };
  const ignore = async (reason: string, botId?: string): Promise<IngestedRecord> => {
    await deps.store.recordIgnoredEvent(meta, reason, botId);
    return { ...base, outcome: "ignored", reason };
  };

  const bot = botNameFromBucket(record.bucket);
  if (!bot.ok) return ignore(bot.reason);
  if (deps.loadOnly && !deps.loadOnly.has(bot.bot)) return ignore(`bot "${bot.bot}" is not in LOAD_ONLY`);
  const ref = await deps.store.ensureBot(bot.bot);
  const botId = ref.id;
  if (!ref.active) return ignore(`bot "${bot.bot}" is inactive (bots.is_active = false)`, botId);
  if (record.action === "ignore") return ignore(record.ignoreReason ?? `event ${record.eventName} does not change content`, botId);
  const classified = classifyObject(bot.bot, record.key);
  if (!classified.ok) return ignore(classified.reason, botId);
  if (!deps.handlers.has(classified.kind)) return ignore(`no job handles ${classified.kind} objects`, botId);

  const result = await deps.store.recordObjectEvent(
    {
      botId,
      filePath: filePathOf(record.bucket, classified.key),
      kind: classified.kind,
      action: record.action,
      etag: record.etag,
      size: record.size,
      sequencer: record.sequencer,
      sequencerSource: record.sequencerSource,
    },
    meta,
  );
  return result.outcome === "queued" ? { ...base, outcome: "queued" } : { ...base, outcome: result.outcome, reason: result.reason };
}
