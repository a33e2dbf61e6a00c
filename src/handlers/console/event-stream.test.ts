/**
 * GET /events/stream through the whole app with port fakes and a ManualClock: the stream polls the event
 * log once per POLL_MS of the clock, sends only rows that are new or changed, keeps a quiet connection
 * alive every KEEP_ALIVE_MS, and ends when the service shuts down — all without waiting a second.
 */
import { describe, expect, it } from "vitest";
import type { EventRow } from "../../core/ports/status-reader.js";
import { apiApp, API_TOKEN, NOW } from "../../../test/harness/api-fixtures.js";
import { eventually } from "../../../test/harness/eventually.js";
import { KEEP_ALIVE_MS, POLL_MS } from "./event-stream.js";

function row(id: string, result: EventRow["result"]): EventRow {
  const key = `demo.gbot/file-${id}.csv`;
  return { id, receivedAt: NOW, source: "webhook", eventName: "s3:ObjectCreated:Put", bucket: "demo.gbai", key, etag: "e", outcome: "queued", reason: null, result, objectStatus: null, lastError: null };
}

async function streamApp() {
  let events: EventRow[] = [row("1", "pending"), row("2", "pending")];
  let polls = 0;
  const shutdown = new AbortController();
  const { request, deps } = apiApp({
    status: { listEvents: async () => (polls++, events), listBots: async () => [] },
    liveEvents: { shutdown: shutdown.signal },
  });
  const signIn = await request("/sign-in", { method: "POST", token: null, body: new URLSearchParams({ token: API_TOKEN, next: "/events" }) });
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  const res = await request("/events/stream", { token: null, headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      received += value;
    }
  })();
  return {
    deps,
    shutdown,
    polls: () => polls,
    setEvents: (next: EventRow[]) => (events = next),
    /** what arrived since the last call */
    take: () => {
      const got = received;
      received = "";
      return got;
    },
  };
}

describe("GET /events/stream", () => {
  it("sends the rows, then once per poll only those that are new or changed", async () => {
    const stream = await streamApp();
    await eventually(() => expect(stream.take()).toMatch(/^event: rows\ndata: .*file-1\.csv/m));
    await eventually(() => expect(stream.deps.clock.waiting).toBe(1));
    expect(stream.polls()).toBe(1);

    // nothing changed: the next poll sends nothing
    stream.deps.clock.advance(POLL_MS);
    await eventually(() => expect(stream.polls()).toBe(2));
    await eventually(() => expect(stream.deps.clock.waiting).toBe(1));
    expect(stream.take()).toBe("");

    // row 1's result changed and row 3 is new: both are sent; row 2, unchanged, is not
    stream.setEvents([row("1", "processed"), row("2", "pending"), row("3", "pending")]);
    stream.deps.clock.advance(POLL_MS);
    const sent = await eventually(() => {
      const got = stream.take();
      expect(got).toMatch(/event: rows/);
      return got;
    });
    expect(sent).toContain("file-1.csv");
    expect(sent).toContain("file-3.csv");
    expect(sent).not.toContain("file-2.csv");
    stream.shutdown.abort();
  });

  it("writes a keep-alive comment after KEEP_ALIVE_MS of quiet, and ends when the service shuts down", async () => {
    const stream = await streamApp();
    await eventually(() => expect(stream.take()).toMatch(/event: rows/));
    for (let quiet = 0; quiet < KEEP_ALIVE_MS; quiet += POLL_MS) {
      await eventually(() => expect(stream.deps.clock.waiting).toBe(1));
      expect(stream.take()).toBe("");
      stream.deps.clock.advance(POLL_MS);
    }
    await eventually(() => expect(stream.take()).toBe(": keep-alive\n\n"));
    const polled = stream.polls();
    stream.shutdown.abort();
    await eventually(() => expect(stream.deps.clock.waiting).toBe(0));
    stream.deps.clock.advance(10 * POLL_MS);
    expect(stream.polls()).toBe(polled);
  });
});
