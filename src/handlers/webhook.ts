import { BotsyncError } from "../core/errors.js";
import { notificationOpaqueData, parseNotification } from "../core/events/parse-notification.js";
import { ingestNotification } from "../core/ingest/ingest-notification.js";
import { webhookAccepted } from "./api/schemas.js";
import { jsonRoute } from "./http/json-route.js";
import { router } from "./http/router.js";
import { requireOpaqueData } from "./middleware/token-auth/index.js";

/** MinIO sends one event per POST; AWS-shaped bodies may carry many, still far below this. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * Notifications recorded at once: a few per pooled database connection (10) keeps the pool busy without a
 * long queue in the driver. Waiting ones cost little; a 503 comes only past 10,000 of them, far above the
 * 1,000 connections of bench section 2 (0 non-2xx there).
 */
export const WEBHOOK_CONCURRENCY = { running: 48, waiting: 10_000, retryAfterS: 1 };

export const webhookRoute = jsonRoute({
  method: "post",
  path: "/webhooks/minio",
  summary:
    "A bucket notification (MinIO, AWS S3 or Ceph RGW event shape). Authenticated by Authorization, or — when no header is sent, as from radosgw — by each record's opaqueData equal to the webhook token",
  auth: "webhook",
  tags: ["webhook"],
  request: {
    // Documented, not validated here: the notification parser (core) knows every server's shape and says
    // precisely what is wrong with a body it cannot use.
    body: { content: { "application/json": { schema: { type: "object", description: "an S3 event notification: { Records: [...] }" } } } },
  },
  response: webhookAccepted,
  errors: [400, 413, 503],
  maxBodyBytes: WEBHOOK_MAX_BYTES,
  concurrency: WEBHOOK_CONCURRENCY,
});

/**
 * `POST /webhooks/minio`. Every event is recorded durably before the 2xx; when that is impossible the answer
 * is 503 so MinIO keeps the event queued. Events we deliberately ignore still get 2xx: a non-2xx would block
 * MinIO's queue behind them forever.
 */
export function webhookRoutes() {
  return router().openapi(webhookRoute, async (c) => {
    const deps = c.env.deps;
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new BotsyncError("INVALID_NOTIFICATION", `body is not JSON: ${(error as Error).message}`);
    }
    const expected = c.get("opaqueDataToken");
    if (expected !== undefined) requireOpaqueData(notificationOpaqueData(body), expected);
    const records = parseNotification(body);
    const results = await ingestNotification(records, deps.ingest);
    for (const r of results) {
      deps.metrics.notification(r.outcome);
      deps.log.debug("notification", { bucket: r.bucket, key: r.key, event: r.eventName, outcome: r.outcome, reason: r.reason });
    }
    // A queued object whose job already started here needs no lane woken for it.
    if (results.some((r) => r.outcome === "queued" && !r.started)) deps.onQueued();
    return c.json({ received: results.length, records: results.map(({ started: _, ...r }) => r) }, 200);
  });
}
