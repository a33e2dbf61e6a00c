/**
 * Issue #4 end to end on Node, real PostgreSQL (full-text search; this server has no pgvector) and a real
 * S3 server: documents of several formats become searchable, updates and deletes are reflected, broken and
 * unsupported files fail once with their reason, and KB work never holds up a config change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxBody, makeDocx, makePdf, makePptx, makeXlsx } from "../unit/kb/documents.js";
import { startStack, waitForJobs, type Stack } from "../harness/stack.js";
import { eventually } from "../harness/eventually.js";

let stack: Stack;
const BUCKET = "kbb.gbai";

beforeAll(async () => {
  stack = await startStack();
  await stack.createBucket(BUCKET);
});
afterAll(async () => {
  await stack?.close();
});

async function search(q: string, extra = ""): Promise<any> {
  return (await stack.api(`/api/bots/kbb/kb/search?q=${encodeURIComponent(q)}${extra}`)).json<any>();
}

async function kbState(): Promise<any> {
  return (await stack.api("/api/bots/kbb/kb")).json<any>();
}

describe("knowledge base", () => {
  it("indexes documents of every kind and finds them by full-text search", async () => {
    const docs: Array<[string, string | Uint8Array]> = [
      ["kbb.gbkb/manuals/intro.txt", "The zebrafish aquarium needs filtered water every morning."],
      ["kbb.gbkb/manuals/guide.md", "# Setup\n\nConnect the *quokka* adapter before powering on."],
      ["kbb.gbkb/manuals/page.html", "<html><head><script>var hidden='narwhal';</script></head><body><p>The axolotl lives in lakes.</p></body></html>"],
      ["kbb.gbkb/faq/prices.csv", "item,price\nwombat plush,12.50\n"],
      ["kbb.gbkb/faq/deep/nested/policy.docx", makeDocx({ body: docxBody(["Refunds are processed by the pangolin team."]) })],
      ["kbb.gbkb/faq/sheet.xlsx", makeXlsx([{ name: "Animals", rows: [["name", "habitat"], ["capybara", "river"]] }])],
      ["kbb.gbkb/slides/deck.pptx", makePptx([[[["Meet the okapi"]]]])],
      ["kbb.gbkb/slides/brochure.pdf", makePdf([["The tapir is a shy animal."]])],
      ["kbb.gbkb/loose.txt", "A file with no KB folder mentions the ocelot."],
    ];
    for (const [key, body] of docs) await stack.put(BUCKET, key, body);
    await stack.settle();
    const state = await kbState();
    expect(state.documents.map((d: any) => [d.key, d.kb, d.status, d.chunks])).toEqual(
      [
        ["kbb.gbkb/faq/deep/nested/policy.docx", "faq", "synced", 1],
        ["kbb.gbkb/faq/prices.csv", "faq", "synced", 1],
        ["kbb.gbkb/faq/sheet.xlsx", "faq", "synced", 1],
        ["kbb.gbkb/loose.txt", "default", "synced", 1],
        ["kbb.gbkb/manuals/guide.md", "manuals", "synced", 1],
        ["kbb.gbkb/manuals/intro.txt", "manuals", "synced", 1],
        ["kbb.gbkb/manuals/page.html", "manuals", "synced", 1],
        ["kbb.gbkb/slides/brochure.pdf", "slides", "synced", 1],
        ["kbb.gbkb/slides/deck.pptx", "slides", "synced", 1],
      ],
    );
    expect(state.kbs.map((k: any) => [k.name, k.documents, k.indexed])).toEqual([
      ["default", 1, 1],
      ["faq", 3, 3],
      ["manuals", 3, 3],
      ["slides", 2, 2],
    ]);
    for (const [word, key] of [
      ["zebrafish", "kbb.gbkb/manuals/intro.txt"],
      ["quokka", "kbb.gbkb/manuals/guide.md"],
      ["axolotl", "kbb.gbkb/manuals/page.html"],
      ["wombat", "kbb.gbkb/faq/prices.csv"],
      ["pangolin", "kbb.gbkb/faq/deep/nested/policy.docx"],
      ["capybara", "kbb.gbkb/faq/sheet.xlsx"],
      ["okapi", "kbb.gbkb/slides/deck.pptx"],
      ["tapir", "kbb.gbkb/slides/brochure.pdf"],
      ["ocelot", "kbb.gbkb/loose.txt"],
    ]) {
      const result = await search(word!);
      expect(result.mode, word).toBe("fulltext");
      expect(result.hits.map((h: any) => h.documentPath), word).toEqual([`${BUCKET}/${key}`]);
      expect(result.hits[0].text.toLowerCase()).toContain(word);
    }
    expect((await search("narwhal")).hits).toEqual([]);
    expect((await search("zebrafish", "&kb=faq")).hits).toEqual([]);
    const [collection] = await stack.db.sql`select name, folder_path, qdrant_collection, document_count from kb_collections where name = 'faq'`;
    expect(collection).toMatchObject({ name: "faq", folder_path: "kbb.gbai/kbb.gbkb/faq", document_count: 3 });
    expect(collection!.qdrant_collection).toMatch(/^kbb_[0-9a-f]{8}_faq$/);
  });

  it("an updated document replaces its chunks; a deleted one leaves nothing behind", async () => {
    await stack.put(BUCKET, "kbb.gbkb/manuals/intro.txt", "The aquarium now hosts a seahorse.");
    await stack.settle();
    expect((await search("zebrafish")).hits).toEqual([]);
    expect((await search("seahorse")).hits.map((h: any) => h.documentPath)).toEqual([`${BUCKET}/kbb.gbkb/manuals/intro.txt`]);
    await stack.remove(BUCKET, "kbb.gbkb/manuals/intro.txt");
    await stack.settle();
    expect((await search("seahorse")).hits).toEqual([]);
    const [chunks] = await stack.db.sql`select count(*)::int as n from botsync_kb_chunks where document_path = ${`${BUCKET}/kbb.gbkb/manuals/intro.txt`}`;
    expect(chunks!.n).toBe(0);
  });

  it("removing a KB folder's last document removes the KB", async () => {
    await stack.remove(BUCKET, "kbb.gbkb/slides/deck.pptx");
    await stack.remove(BUCKET, "kbb.gbkb/slides/brochure.pdf");
    await stack.settle();
    expect((await kbState()).kbs.map((k: any) => k.name)).toEqual(["default", "faq", "manuals"]);
    expect(await stack.db.sql`select 1 from kb_collections where name = 'slides'`).toHaveLength(0);
  });

  it("a broken document fails with its reason and keeps the previous chunks searchable", async () => {
    await stack.put(BUCKET, "kbb.gbkb/faq/deep/nested/policy.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await stack.settle();
    const doc = (await kbState()).documents.find((d: any) => d.key === "kbb.gbkb/faq/deep/nested/policy.docx");
    expect(doc).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^KB_EXTRACTION_FAILED: /), chunks: 1 });
    expect((await search("pangolin")).hits).toHaveLength(1);
  });

  it("an unsupported format fails once and is not retried until it changes", async () => {
    await stack.put(BUCKET, "kbb.gbkb/manuals/tool.exe", "MZ");
    await stack.settle();
    await stack.service.tick();
    await waitForJobs(stack.db);
    const [row] = await stack.db.sql`select sync_status, attempts, last_error from drive_files where file_path = ${`${BUCKET}/kbb.gbkb/manuals/tool.exe`}`;
    expect(row).toMatchObject({ sync_status: "failed", attempts: 1, last_error: expect.stringMatching(/^KB_UNSUPPORTED_FORMAT: /) });
  });

  it("a large document being indexed does not hold up a config.csv", async () => {
    const pages = Array.from({ length: 400 }, (_, p) => Array.from({ length: 40 }, (_, l) => `page ${p} line ${l} the lemur reads quietly`));
    stack.notifications.mode = "hold";
    await stack.put(BUCKET, "kbb.gbkb/manuals/big.pdf", makePdf(pages));
    await stack.put(BUCKET, "kbb.gbot/config.csv", "Bot Name,KB Bot\n");
    await stack.releaseHeld();
    stack.notifications.mode = "deliver";
    let sawConfigWhileIndexing = false;
    await eventually(
      async () => {
        const [config] = await stack.db.sql`select count(*)::int as n from bot_configuration c join bots b on b.id = c.bot_id where b.name = 'kbb'`;
        const [pdf] = await stack.db.sql`
          select sync_status, coalesce(lease_until > now(), false) as leased from drive_files where file_path = ${`${BUCKET}/kbb.gbkb/manuals/big.pdf`}`;
        // the document is claimed by the kb lane and not done, while the config is already applied
        if (config!.n === 1 && pdf!.sync_status === "pending" && pdf!.leased) sawConfigWhileIndexing = true;
        expect(pdf!.sync_status).not.toBe("pending");
      },
      { timeoutMs: 20_000 },
    );
    expect(sawConfigWhileIndexing).toBe(true);
    await waitForJobs(stack.db, 60_000);
    expect((await search("lemur")).hits.length).toBeGreaterThan(0);
  });
});

describe("re-indexing", () => {
  it("POST /api/bots/:bot/kb/reindex queues a KB's documents; botsync reindex waits with a progress bar", async () => {
    const before = await stack.db.sql`select processed_at from drive_files where file_path = ${`${BUCKET}/kbb.gbkb/faq/prices.csv`}`;
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const bin = new URL("../../bin/botsync.mjs", import.meta.url).pathname;
    const out = await promisify(execFile)(process.execPath, [bin, "reindex", "kbb", "--kb", "faq"], {
      env: { ...process.env, BOTSYNC_URL: stack.service.url, API_TOKEN: "test-api-token-0123456789abcdef" },
    }).catch((error) => error);
    // the broken policy.docx from an earlier test fails again; the others are indexed
    expect(out.stderr).toMatch(/indexing .* 3\/3 documents \| 1 failed/);
    expect(out.stdout).toMatch(/indexed 2 document\(s\), 1 failed/);
    expect(out.stderr).toMatch(/kbb\.gbkb\/faq\/deep\/nested\/policy\.docx: KB_EXTRACTION_FAILED/);
    expect(out.code).toBe(1);
    const after = await stack.db.sql`select processed_at from drive_files where file_path = ${`${BUCKET}/kbb.gbkb/faq/prices.csv`}`;
    expect(after[0]!.processed_at.getTime()).toBeGreaterThan(before[0]!.processed_at.getTime());
    const bad = await stack.api("/api/bots/kbb/kb/reindex?kb=..%2Fx", { method: "POST" });
    expect(bad.status).toBe(400);
  });

  it("kb=default takes the documents directly under {bot}.gbkb/, and an unknown KB is a 404 naming the KBs (exit 1 in the CLI)", async () => {
    await stack.put(BUCKET, "kbb.gbkb/loose-notes.md", "# Loose\nA note outside any KB folder.\n");
    await stack.put(BUCKET, "kbb.gbkb/faq/reindex-check.md", "# Check\nA document in the faq KB.\n");
    await stack.settle();
    const processedAt = async (key: string) =>
      (await stack.db.sql<{ processed_at: Date }[]>`select processed_at from drive_files where file_path = ${`${BUCKET}/${key}`}`)[0]!.processed_at.getTime();
    const [loose, faq] = [await processedAt("kbb.gbkb/loose-notes.md"), await processedAt("kbb.gbkb/faq/reindex-check.md")];
    const queued = await (await stack.api("/api/bots/kbb/kb/reindex?kb=default", { method: "POST" })).json<any>();
    expect(queued).toMatchObject({ bot: "kbb", kb: "default" });
    expect(queued.queued).toBeGreaterThanOrEqual(1);
    await stack.settle();
    expect(await processedAt("kbb.gbkb/loose-notes.md")).toBeGreaterThan(loose);
    expect(await processedAt("kbb.gbkb/faq/reindex-check.md")).toBe(faq);

    const missing = await stack.api("/api/bots/kbb/kb/reindex?kb=nosuch", { method: "POST" });
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.message).toMatch(/^bot "kbb" has no KB named "nosuch" \(its KBs: .*default.*faq/);
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const bin = new URL("../../bin/botsync.mjs", import.meta.url).pathname;
    const cli = await promisify(execFile)(process.execPath, [bin, "reindex", "kbb", "--kb", "nosuch"], {
      env: { ...process.env, BOTSYNC_URL: stack.service.url, API_TOKEN: "test-api-token-0123456789abcdef" },
    }).catch((error) => error);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('has no KB named "nosuch"');
  });
});
