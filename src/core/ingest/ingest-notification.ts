/**
 * Webhook → durable state. Each record ends up queued (the object will be synced), duplicate, stale, or
 * ignored with a reason — and every one of them is recorded before the webhook answers 2xx.
 */
import type { NotificationRecord } from "../events/parse-notification.js";
import type { Kinds } from "../jobs/kind-registry.js";
import type { ObjectKind } from "../jobs/object-kind.js";
import type { Drive } from "../ports/drive.js";
import type { JobSlots } from "../ports/job-slots.js";
import type { Logger } from "../ports/logger.js";
import type { EventMeta, IngestStore, RecordOutcome } from "../ports/ingest-store.js";
import { botNameFromBucket } from "../paths/bot-name.js";
import { filePathOf } from "../jobs/job-types.js";

export interface IngestedRecord {
  bucket: string;
  key: string;
  eventName: string;
  outcome: RecordOutcome;
  reason?: string;
  /** queued and its job already started in this process: no lane needs waking for it */
  started?: boolean;
}

export interface IngestDeps {
  store: IngestStore;
  /** asked whether the bucket of an unknown bot exists: only a real bucket becomes a `bots` row */
  drive: Pick<Drive, "bucketExists">;
  kinds: Kinds;
  /** LOAD_ONLY: when set, only these bots are synced */
  loadOnly: ReadonlySet<string> | null;
  log: Logger;
  /** where a queued object's job can start at once (Node); without it the lanes pick the object up */
  slots?: JobSlots;
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
  // Everything that decides "ignore" comes before any write to `bots`: an event that changes nothing must
  // not leave a bot behind (it is linked to the bot only when the bot already exists).
  const admitted = admit(record, bot.bot, deps.kinds);
  if (!admitted.ok) return ignore(admitted.reason, (await deps.store.findBot(bot.bot))?.id);

  let ref = await deps.store.findBot(bot.bot);
  if (!ref) {
    // A notification can name any bucket; only one that exists is a bot (reconcile finds the rest).
    if (!(await deps.drive.bucketExists(record.bucket))) return ignore(`bucket ${record.bucket} does not exist`);
    ref = await deps.store.createBot(bot.bot);
  }
  const botId = ref.id;
  if (!ref.active) return ignore(`bot "${bot.bot}" is inactive (bots.is_active = false)`, botId);

  const slot = deps.slots?.take(admitted.kind.lane) ?? null;
  let result: Awaited<ReturnType<IngestStore["recordObjectEvent"]>>;
  try {
    result = await deps.store.recordObjectEvent(
      {
        botId,
        filePath: filePathOf(record.bucket, admitted.key),
        kind: { name: admitted.kind.name, fileType: admitted.kind.fileType, lane: admitted.kind.lane },
        action: admitted.action,
        etag: record.etag,
        size: record.size,
        sequencer: record.sequencer,
        sequencerSource: record.sequencerSource,
      },
      meta,
      slot ? { owner: slot.owner, leaseMs: slot.leaseMs } : undefined,
    );
  } catch (error) {
    slot?.release();
    throw error;
  }
  if (result.outcome !== "queued") {
    slot?.release();
    return { ...base, outcome: result.outcome, reason: result.reason };
  }
  // Recorded and committed: the job may start before the 2xx goes out, it cannot get ahead of the record.
  if (slot && result.job) {
    slot.run(result.job);
    return { ...base, outcome: "queued", started: true };
  }
  slot?.release();
  return { ...base, outcome: "queued" };
}

type Admission = { ok: true; kind: ObjectKind<unknown>; key: string; action: "upsert" | "remove" } | { ok: false; reason: string };

/** Whether a record is about content some job handles, or why it is ignored. */
function admit(record: NotificationRecord, bot: string, kinds: Kinds): Admission {
  if (record.action === "ignore") return { ok: false, reason: record.ignoreReason ?? `event ${record.eventName} does not change content` };
  const classified = kinds.classify(bot, record.key);
  if (!classified.ok) return classified;
  if (!classified.kind) return { ok: false, reason: "no job handles this key" };
  return { ok: true, kind: classified.kind, key: classified.key, action: record.action };
}
