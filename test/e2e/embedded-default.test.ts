/**
 * `npm start` with nothing configured: the embedded drive and PGlite start, the demo bot is seeded through
 * the drive's notifications, and everything survives a restart on the same DATA_DIR.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings/settings.js";
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import { startNodeService, type NodeService } from "../../functions/node-service.js";
import { seedExamples } from "../../functions/seed-demo.js";
import { eventually } from "../harness/eventually.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<NodeService> {
  const settings = parseSettings({ PORT: "0", DATA_DIR: dataDir, EMBEDDED_S3_PORT: "0", EMBEDDED_PG_PORT: "0" });
  return startNodeService(settings, { log: new JsonLogger({}, "error", () => {}), reconcileTimer: false });
}

/** `probe`'s value once it has one. */
function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`no value within ${timeoutMs} ms`);
      return value;
    },
    { timeoutMs },
  );
}

describe("embedded default", () => {
  it("seeds and syncs the demo bot, and keeps data and tokens across a restart", { timeout: 90_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "botsync-embedded-"));
    dirs.push(dataDir);
    const first = await start(dataDir);
    let tokens: { webhook: string; api: string };
    try {
      tokens = first.tokens;
      expect(tokens.webhook).toMatch(/^\S{16,}$/);
      const s3 = first.embeddedS3!;
      const seeded = await seedExamples(join(import.meta.dirname, "..", "..", "examples"), {
        endpoint: s3.endpoint,
        region: "us-east-1",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      expect(seeded).toEqual(["demo.gbai"]);
      await first.notificationsIdle();
      const api = (path: string) => fetch(`${first.url}${path}`, { headers: { authorization: `Bearer ${tokens.api}` } });
      const config = await waitFor(async () => {
        const body = await (await api("/api/bots/demo/config")).json<any>();
        return body.config?.length > 0 ? body : undefined;
      });
      expect(config.config.find((r: { key: string }) => r.key === "Bot Name")).toMatchObject({ value: "Demo Bot", source: "config.csv" });
      // the dialog and the KB document of the demo bot are synced too
      const detail = await waitFor(async () => {
        const body = await (await api("/api/bots/demo")).json<any>();
        return body.drift.inSync ? body : undefined;
      });
      expect(detail.objects.map((o: any) => [o.key, o.status])).toEqual([
        ["demo.gbdialog/start.bas", "synced"],
        ["demo.gbkb/faq/botsync.md", "synced"],
        ["demo.gbot/config.csv", "synced"],
      ]);
      const search = await (await api("/api/bots/demo/kb/search?q=reconcile")).json<any>();
      expect(search.hits[0]).toMatchObject({ kb: "faq", documentPath: "demo.gbai/demo.gbkb/faq/botsync.md" });
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      await first.close();
    }

    const second = await start(dataDir);
    try {
      expect(second.tokens).toEqual(tokens!);
      const s3 = second.embeddedS3!;
      expect(await seedExamples(join(import.meta.dirname, "..", "..", "examples"), {
        endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey,
      })).toEqual([]);
      const rows = await second.sql`select count(*)::int as n from bot_configuration`;
      expect(rows[0]!.n).toBeGreaterThan(5);
      await second.tick();
      const [state] = await second.sql`select sync_status from drive_files where file_path = 'demo.gbai/demo.gbot/config.csv'`;
      expect(state!.sync_status).toBe("synced");
    } finally {
      await second.close();
    }
  });
});
