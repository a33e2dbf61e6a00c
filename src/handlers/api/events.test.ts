/**
 * GET /api/events through the whole app with port fakes: the limit's default and bounds, the bot filter
 * resolved to its id, and 400/404 for what cannot be answered.
 */
import { describe, expect, it } from "vitest";
import type { EventRow } from "../../core/ports/status-reader.js";
import { apiApp, botSummary, errorOf, NOW, statusOf } from "../../../test/harness/api-fixtures.js";
import { eventsRoute } from "./events.js";

const DEMO = botSummary("demo");
const EVENT: EventRow = {
  id: "7",
  receivedAt: NOW,
  source: "webhook",
  eventName: "s3:ObjectCreated:PutTagging",
  bucket: "demo.gbai",
  key: "demo.gbot/config.csv",
  etag: null,
  outcome: "ignored",
  reason: "event s3:ObjectCreated:PutTagging changes only metadata",
  result: "ignored",
  objectStatus: null,
  lastError: null,
};

function eventsApp() {
  const asked: Array<{ limit: number; botId?: string }> = [];
  const app = apiApp({ status: { ...statusOf(DEMO), listEvents: async (options: { limit: number; botId?: string }) => (asked.push(options), [EVENT]) } });
  return { ...app, asked };
}

describe("GET /api/events", () => {
  it("answers the latest events, 100 unless asked, of every bot or of one", async () => {
    const { request, asked } = eventsApp();
    const body = await (await request("/api/events")).json<any>();
    eventsRoute.responses[200].content["application/json"].schema.parse(body);
    expect(body).toEqual({ events: [EVENT] });
    await request("/api/events?limit=50&bot=demo");
    await request("/api/events?limit=&bot=");
    expect(asked).toEqual([{ limit: 100 }, { limit: 50, botId: DEMO.id }, { limit: 100 }]);
  });

  it("400 naming `limit` outside 1–1000 or not a number, INVALID_BOT_NAME for a bad bot, 404 for an unknown one", async () => {
    const { request, asked } = eventsApp();
    for (const limit of ["0", "1001", "abc", "2.5"]) {
      expect(await errorOf(await request(`/api/events?limit=${limit}`)), limit).toMatchObject({
        status: 400,
        code: "BAD_REQUEST",
        message: expect.stringMatching(/^limit: /),
      });
    }
    for (const bot of ["Demo", "demo%00"]) {
      expect(await errorOf(await request(`/api/events?bot=${bot}`)), bot).toMatchObject({ status: 400, code: "INVALID_BOT_NAME", message: expect.stringMatching(/^bot: /) });
    }
    expect(await errorOf(await request("/api/events?bot=nobody"))).toEqual({ status: 404, code: "NOT_FOUND", message: 'no bot named "nobody"' });
    expect(asked).toEqual([]);
    expect((await request("/api/events?limit=1000")).status).toBe(200);
  });
});
