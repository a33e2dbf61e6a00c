/**
 * The knowledge-base routes through the whole app with port fakes: the KB list and its summary, re-index
 * (what is queued, an unknown KB, the job lanes woken only when something was queued), search's query
 * validation and what reaches the index, and the 503 of an index that is down.
 */
import { describe, expect, it } from "vitest";
import { BotsyncError } from "../../core/errors.js";
import type { KbSearchQuery, SearchHit } from "../../core/ports/chunk-index.js";
import type { KbDocumentState } from "../../core/ports/status-reader.js";
import { apiApp, botSummary, errorOf, NOW, statusOf } from "../../../test/harness/api-fixtures.js";
import { kbListRoute, kbSearchRoute } from "./kb.js";

const DEMO = botSummary("demo");

function document(kb: string, name: string, overrides: Partial<KbDocumentState> = {}): KbDocumentState {
  const key = `demo.gbkb/${kb}/${name}`;
  return { kb, key, filePath: `demo.gbai/${key}`, status: "synced", etag: "e", processedEtag: "e", lastError: null, diagnostics: [], chunks: 3, indexedAt: NOW, ...overrides };
}

describe("GET /api/bots/:bot/kb", () => {
  it("lists the documents and one line per KB, the last good version of a failed document counted as indexed", async () => {
    const documents = [
      document("faq", "a.md"),
      document("faq", "b.pdf", { status: "failed", lastError: "KB_EXTRACTION_FAILED: broken", chunks: 2 }),
      document("default", "loose.txt", { status: "pending", chunks: null, indexedAt: null }),
    ];
    const { request } = apiApp({ status: { ...statusOf(DEMO), listKbDocuments: async () => documents } });
    const body = await (await request("/api/bots/demo/kb")).json<any>();
    kbListRoute.responses[200].content["application/json"].schema.parse(body);
    expect(body.kbs).toEqual([
      { name: "default", documents: 1, indexed: 0, failed: 0, chunks: 0 },
      { name: "faq", documents: 2, indexed: 2, failed: 1, chunks: 5 },
    ]);
    expect(body.documents).toEqual(documents);
  });
});

describe("POST /api/bots/:bot/kb/reindex", () => {
  function reindexApp(queued: number, kbs = ["default", "faq"]) {
    const asked: Array<[string, string | undefined]> = [];
    let woken = 0;
    const app = apiApp({
      status: statusOf(DEMO),
      kbReindex: { queueReindex: async (bot: { id: string }, kb?: string) => (asked.push([bot.id, kb]), { queued, kbs }) },
      onQueued: () => void woken++,
    });
    return { ...app, asked, woken: () => woken };
  }

  it("queues every document of the bot, or of one KB, and wakes the job lanes", async () => {
    const { request, asked, woken } = reindexApp(4);
    expect(await (await request("/api/bots/demo/kb/reindex", { method: "POST" })).json<any>()).toEqual({ bot: "demo", kb: null, queued: 4 });
    expect(await (await request("/api/bots/demo/kb/reindex?kb=faq", { method: "POST" })).json<any>()).toEqual({ bot: "demo", kb: "faq", queued: 4 });
    // `?kb=` is the same as no kb
    expect(await (await request("/api/bots/demo/kb/reindex?kb=", { method: "POST" })).json<any>()).toMatchObject({ kb: null });
    expect(asked).toEqual([
      [DEMO.id, undefined],
      [DEMO.id, "faq"],
      [DEMO.id, undefined],
    ]);
    expect(woken()).toBe(3);
  });

  it("does not wake the lanes when nothing was queued", async () => {
    const { request, woken } = reindexApp(0, []);
    expect((await request("/api/bots/demo/kb/reindex", { method: "POST" })).status).toBe(200);
    expect(woken()).toBe(0);
  });

  it("404 naming the bot's KBs for a KB it does not have, 400 for a name no KB folder can have", async () => {
    const { request } = reindexApp(0, ["default", "faq"]);
    expect(await errorOf(await request("/api/bots/demo/kb/reindex?kb=nosuch", { method: "POST" }))).toEqual({
      status: 404,
      code: "NOT_FOUND",
      message: 'bot "demo" has no KB named "nosuch" (its KBs: default, faq)',
    });
    for (const kb of ["a%2Fb", "a%00b"]) {
      const invalid = await errorOf(await request(`/api/bots/demo/kb/reindex?kb=${kb}`, { method: "POST" }));
      expect(invalid, kb).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(/^kb: /) });
    }
  });
});

describe("GET /api/bots/:bot/kb/search", () => {
  const HIT: SearchHit = { kb: "faq", documentPath: "demo.gbai/demo.gbkb/faq/a.md", chunkIndex: 0, text: "Refunds take 5 days", start: 0, end: 19, score: 0.5 };

  function searchApp(search: (query: KbSearchQuery) => Promise<SearchHit[]> = async () => [HIT]) {
    const queries: KbSearchQuery[] = [];
    const app = apiApp({
      status: statusOf(DEMO),
      kbSearch: {
        // no embedding-url: full-text search
        config: { read: async () => ({ "kb-language": "english" }) },
        index: { search: async (query: KbSearchQuery) => (queries.push(query), search(query)) },
        embedder: {},
        secrets: undefined,
      },
    });
    return { ...app, queries };
  }

  it("answers the index's hits for the trimmed query, with the KB, limit and the bot's language", async () => {
    const { request, queries } = searchApp();
    const body = await (await request("/api/bots/demo/kb/search?q=%20refund%20&kb=faq&limit=5")).json<any>();
    kbSearchRoute.responses[200].content["application/json"].schema.parse(body);
    expect(body).toEqual({ bot: "demo", query: "refund", mode: "fulltext", hits: [HIT] });
    expect(queries).toEqual([{ botId: DEMO.id, bot: "demo", text: "refund", kb: "faq", limit: 5, language: "english", vector: null, space: null }]);
    await request("/api/bots/demo/kb/search?q=x");
    expect(queries[1]).toMatchObject({ limit: 10, kb: undefined });
  });

  it("400 naming the parameter for a missing or blank query, a limit out of range, a NUL in the query", async () => {
    const { request, queries } = searchApp();
    for (const [query, field] of [
      ["", "q"],
      ["?q=%20%20", "q"],
      ["?q=x&limit=0", "limit"],
      ["?q=x&limit=101", "limit"],
      ["?q=x&limit=ten", "limit"],
      ["?q=a%00b", "q"],
      ["?q=%00", "q"],
      ["?q=refund&kb=%00", "kb"],
    ] as const) {
      const error = await errorOf(await request(`/api/bots/demo/kb/search${query}`));
      expect(error, query).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(new RegExp(`^${field}: `)) });
    }
    expect(queries).toEqual([]);
  });

  it("503 when the index cannot be searched", async () => {
    const { request } = searchApp(async () => {
      throw new BotsyncError("VECTORS_UNAVAILABLE", "qdrant at http://q:6333 is unreachable", { retryable: true });
    });
    expect(await errorOf(await request("/api/bots/demo/kb/search?q=refund"))).toEqual({
      status: 503,
      code: "VECTORS_UNAVAILABLE",
      message: "qdrant at http://q:6333 is unreachable",
    });
  });
});
