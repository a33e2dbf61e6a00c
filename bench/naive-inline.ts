/**
 * The yardstick of section 1: the simplest service that could keep config.csv in PostgreSQL. It takes a
 * MinIO notification, GETs the object with the AWS SDK, parses it with the same parser botsync uses, and
 * replaces the bot's rows in one transaction — all inside the webhook request, with no event log, no job
 * state, no lease, no retry. A 2xx from it means the rows are committed; an error means the event is lost
 * unless MinIO redelivers. botsync does strictly more (it records the event durably first), and its budget is
 * a fraction of this one's latency measured in the same run, on the same drive and database.
 *
 * Written the way such a service is usually written: Hono on Node, postgres.js with its defaults (prepared
 * statements, pool 10), `sql.begin`, one statement after the other.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parseNotification } from "../src/core/events/parse-notification.js";
import { parseConfigCsv } from "../src/core/config/parse-config-csv.js";

/** how the bench tells this service's PostgreSQL backends from botsync's */
export const NAIVE_APPLICATION_NAME = "naive-inline";

export interface NaiveInline {
  url: string;
  close(): Promise<void>;
}

export async function startNaiveInline(opts: {
  databaseUrl: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  webhookToken: string;
}): Promise<NaiveInline> {
  const sql = postgres(opts.databaseUrl, { max: 10, onnotice: () => {}, connection: { application_name: NAIVE_APPLICATION_NAME } });
  const s3 = new S3Client({
    endpoint: opts.s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: opts.s3.accessKeyId, secretAccessKey: opts.s3.secretAccessKey },
  });

  const app = new Hono();
  app.post("/webhooks/minio", async (c) => {
    if (c.req.header("authorization") !== `Bearer ${opts.webhookToken}`) return c.json({ error: "unauthorized" }, 401);
    const records = parseNotification(await c.req.json());
    let applied = 0;
    for (const record of records) {
      const bot = record.bucket.replace(/\.gbai$/, "");
      if (record.action !== "upsert" || record.key !== `${bot}.gbot/config.csv`) continue;
      const out = await s3.send(new GetObjectCommand({ Bucket: record.bucket, Key: record.key }));
      const { entries } = parseConfigCsv(await out.Body!.transformToByteArray());
      await sql.begin(async (tx) => {
        const [row] = await tx<{ id: string }[]>`select id from bots where name = ${bot}`;
        if (!row) throw new Error(`no bot ${bot}`);
        await tx`delete from bot_configuration where bot_id = ${row.id}`;
        await tx`
          insert into bot_configuration (id, bot_id, config_key, config_value, config_type, is_encrypted)
          select gen_random_uuid(), ${row.id}, k, v, t, false
          from unnest(${entries.map((e) => e.key)}::text[], ${entries.map((e) => e.value)}::text[], ${entries.map((e) => e.type)}::text[]) as c(k, v, t)`;
      });
      applied++;
    }
    return c.json({ applied });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3.destroy();
      await sql.end({ timeout: 1 });
    },
  };
}
