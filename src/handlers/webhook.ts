import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { BotsyncError } from "../core/errors.js";
import { parseNotification } from "../core/events/parse-notification.js";
import { ingestNotification } from "../core/ingest/ingest-notification.js";
import type { AppEnv } from "./app-deps.js";
import { requireToken } from "./http/bearer-token.js";

/** MinIO sends one event per POST; AWS-shaped bodies may carry many, still far below this. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * `POST /webhooks/minio`. Every event is recorded durably before the 2xx; when that is impossible the answer
 * is 503 so MinIO keeps the event queued. Events we deliberately ignore still get 2xx: a non-2xx would block
 * MinIO's queue behind them forever.
 */
export function webhookRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    "/webhooks/minio",
    async (c, next) => {
      const { webhook } = await c.env.deps.secrets.tokens();
      await requireToken(c.req.header("authorization"), webhook, "webhook");
      await next();
    },
    bodyLimit({
      maxSize: WEBHOOK_MAX_BYTES,
      onError: () => {
        throw new BotsyncError("PAYLOAD_TOO_LARGE", `notification body is larger than ${WEBHOOK_MAX_BYTES} bytes`);
      },
    }),
    async (c) => {
      const deps = c.env.deps;
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new BotsyncError("INVALID_NOTIFICATION", `body is not JSON: ${(error as Error).message}`);
      }
      const records = parseNotification(body);
      const results = await ingestNotification(records, deps.ingest);
      for (const r of results) deps.log.debug("notification", { bucket: r.bucket, key: r.key, event: r.eventName, outcome: r.outcome, reason: r.reason });
      if (results.some((r) => r.outcome === "queued")) deps.onQueued();
      return c.json({ received: results.length, records: results });
    },
  );
  return app;
}
