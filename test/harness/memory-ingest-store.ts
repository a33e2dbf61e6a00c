/**
 * An IngestStore in memory, for the webhook's handler tests and ingestNotification's use-case tests: bots by
 * name, every event recorded with its outcome, and the objects queued. What PgIngestStore decides about
 * order (stale, duplicate) is planIngest's and tested there; this one answers `duplicate` for an ETag it has
 * already queued and for the removal of an object it never saw, and `queued` otherwise. Asked for a lease,
 * it leases a queued object to the asker unless someone holds it (`leases`; a test ends one by deleting it).
 * `down` makes every call fail as a database that cannot be reached.
 */
import { BotsyncError } from "../../src/core/errors.js";
import type { BotRef, EventMeta, IngestStore, LeaseRequest, ObjectSighting, RecordedOutcome } from "../../src/core/ports/ingest-store.js";
import { splitFilePath } from "../../src/core/jobs/job-types.js";

export interface RecordedEvent {
  meta: EventMeta;
  outcome: "queued" | "duplicate" | "stale" | "ignored";
  reason?: string;
  botId?: string;
  sighting?: ObjectSighting;
}

export class MemoryIngestStore implements IngestStore {
  readonly bots = new Map<string, BotRef>();
  readonly events: RecordedEvent[] = [];
  /** filePath → the last ETag queued */
  readonly queued = new Map<string, string | undefined>();
  readonly created: string[] = [];
  /** filePath → the owner of its lease */
  readonly leases = new Map<string, string>();
  down = false;

  constructor(bots: Record<string, BotRef> = {}) {
    for (const [name, ref] of Object.entries(bots)) this.bots.set(name, ref);
  }

  async findBot(name: string): Promise<BotRef | null> {
    this.reachable();
    return this.bots.get(name) ?? null;
  }

  async createBot(name: string): Promise<BotRef> {
    this.reachable();
    const ref = this.bots.get(name) ?? { id: `id-${name}`, active: true };
    if (!this.bots.has(name)) this.created.push(name);
    this.bots.set(name, ref);
    return ref;
  }

  async recordObjectEvent(sighting: ObjectSighting, meta: EventMeta, lease?: LeaseRequest): Promise<RecordedOutcome> {
    this.reachable();
    const seen = this.queued.has(sighting.filePath);
    const known = sighting.action === "upsert" ? seen && this.queued.get(sighting.filePath) === sighting.etag : !seen;
    if (known) {
      const reason = sighting.action === "upsert" ? `ETag ${sighting.etag} is already queued` : "the object was never seen: nothing to remove";
      this.events.push({ meta, outcome: "duplicate", reason, botId: sighting.botId, sighting });
      return { outcome: "duplicate", reason };
    }
    this.queued.set(sighting.filePath, sighting.etag);
    this.events.push({ meta, outcome: "queued", botId: sighting.botId, sighting });
    if (!lease || this.leases.has(sighting.filePath)) return { outcome: "queued", freshTry: true };
    this.leases.set(sighting.filePath, lease.owner);
    const { bucket, key } = splitFilePath(sighting.filePath);
    const job = {
      id: `job-${sighting.filePath}`,
      botId: sighting.botId,
      bot: bucket.slice(0, -".gbai".length),
      bucket,
      key,
      filePath: sighting.filePath,
      kind: sighting.kind.name,
      etag: sighting.etag ?? null,
      present: sighting.action === "upsert",
      processedEtag: null,
      reprocess: false,
      queuedAt: 0,
      attempts: 0,
      revision: "1",
    };
    return { outcome: "queued", freshTry: true, job };
  }

  async recordIgnoredEvent(meta: EventMeta, reason: string, botId?: string): Promise<void> {
    this.reachable();
    this.events.push({ meta, outcome: "ignored", reason, botId });
  }

  private reachable(): void {
    if (this.down) throw new BotsyncError("DATABASE_UNAVAILABLE", "database unreachable: connect ECONNREFUSED 127.0.0.1:5432", { retryable: true });
  }
}
