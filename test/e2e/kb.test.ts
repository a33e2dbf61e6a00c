/**
 * The knowledge base end to end on Node, real PostgreSQL (full-text search; this server has no pgvector)
 * and a real S3 server: documents of several formats become searchable, updates and deletes are reflected,
 * broken and unsupported files fail once with their reason, and KB work never holds up a config change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxBody, makeDocx, makePdf, makePptx, makeXlsx } from "../unit/kb/documents.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { API_TOKEN, startStack, waitForJobs, type Stack } from "../harness/stack.js";
import { eventually } from "../harness/eventually.js";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** A bot of its own (its bucket created): each test starts from an empty knowledge base. */
async function kbBot(name: string) {
  const bucket = `${name}.gbai`;
  await stack.createBucket(bucket);
  return {
    bucket,
    /** uploads `{name}.gbkb/{path}` (the job runs when the test settles the stack) */
    put: (path: string, body: string | Uint8Array) => stack.put(bucket, `${name}.gbkb/${path}`, body),
    remove: (path: string) => stack.remove(bucket, `${name}.gbkb/${path}`),
    filePath: (path: string) => `${bucket}/${name}.gbkb/${path}`,
    search: async (q: string, extra = ""): Promise<any> => (await stack.api(`/api/bots/${name}/kb/search?q=${encodeURIComponent(q)}${extra}`)).json<any>(),
    state: async (): Promise<any> => (await stack.api(`/api/bots/${name}/kb`)).json<any>(),
    processedAt: async (path: string): Promise<number> =>
      (await stack.db.sql<{ processed_at: Date }[]>`select processed_at from drive_files where file_path = ${`${bucket}/${name}.gbkb/${path}`}`)[0]!.processed_at.getTime(),
  };
}

/** botsync's CLI against the stack; resolves with its exit code and output, whatever the code. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = new URL("../../bin/botsync.mjs", import.meta.url).pathname;
  return promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, BOTSYNC_URL: stack.service.url, API_TOKEN } }).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("knowledge base", () => {
  it("indexes documents of every kind and finds them by full-text search", async () => {
    const bot = await kbBot("kb-all");
    const docs: Array<[string, string | Uint8Array]> = [
      ["manuals/intro.txt", "The zebrafish aquarium needs filtered water every morning."],
      ["manuals/guide.md", "# Setup\n\nConnect the *quokka* adapter before powering on."],
      ["manuals/page.html", "<html><head><script>var hidden='narwhal';</script></head><body><p>The axolotl lives in lakes.</p></body></html>"],
      ["faq/prices.csv", "item,price\nwombat plush,12.50\n"],
      ["faq/deep/nested/policy.docx", makeDocx({ body: docxBody(["Refunds are processed by the pangolin team."]) })],
      ["faq/sheet.xlsx", makeXlsx([{ name: "Animals", rows: [["name", "habitat"], ["capybara", "river"]] }])],
      ["slides/deck.pptx", makePptx([[[["Meet the okapi"]]]])],
      ["slides/brochure.pdf", makePdf([["The tapir is a shy animal."]])],
      ["loose.txt", "A file with no KB folder mentions the ocelot."],
    ];
    for (const [path, body] of docs) await bot.put(path, body);
    await stack.settle();
    const state = await bot.state();
    expect(state.documents.map((d: any) => [d.key, d.kb, d.status, d.chunks])).toEqual(
      [
        ["kb-all.gbkb/faq/deep/nested/policy.docx", "faq", "synced", 1],
        ["kb-all.gbkb/faq/prices.csv", "faq", "synced", 1],
        ["kb-all.gbkb/faq/sheet.xlsx", "faq", "synced", 1],
        ["kb-all.gbkb/loose.txt", "default", "synced", 1],
        ["kb-all.gbkb/manuals/guide.md", "manuals", "synced", 1],
        ["kb-all.gbkb/manuals/intro.txt", "manuals", "synced", 1],
        ["kb-all.gbkb/manuals/page.html", "manuals", "synced", 1],
        ["kb-all.gbkb/slides/brochure.pdf", "slides", "synced", 1],
        ["kb-all.gbkb/slides/deck.pptx", "slides", "synced", 1],
      ],
    );
    expect(state.kbs.map((k: any) => [k.name, k.documents, k.indexed])).toEqual([
      ["default", 1, 1],
      ["faq", 3, 3],
      ["manuals", 3, 3],
      ["slides", 2, 2],
    ]);
    for (const [word, path] of [
      ["zebrafish", "manuals/intro.txt"],
      ["quokka", "manuals/guide.md"],
      ["axolotl", "manuals/page.html"],
      ["wombat", "faq/prices.csv"],
      ["pangolin", "faq/deep/nested/policy.docx"],
      ["capybara", "faq/sheet.xlsx"],
      ["okapi", "slides/deck.pptx"],
      ["tapir", "slides/brochure.pdf"],
      ["ocelot", "loose.txt"],
    ]) {
      const result = await bot.search(word!);
      expect(result.mode, word).toBe("fulltext");
      expect(result.hits.map((h: any) => h.documentPath), word).toEqual([bot.filePath(path!)]);
      expect(result.hits[0].text.toLowerCase()).toContain(word);
    }
    expect((await bot.search("narwhal")).hits).toEqual([]);
    expect((await bot.search("zebrafish", "&kb=faq")).hits).toEqual([]);
    const [collection] = await stack.db.sql`select name, folder_path, qdrant_collection, document_count from kb_collections where folder_path = 'kb-all.gbai/kb-all.gbkb/faq'`;
    expect(collection).toMatchObject({ name: "faq", document_count: 3 });
    expect(collection!.qdrant_collection).toMatch(/^kb-all_[0-9a-f]{8}_faq$/);
  });

  it("an updated document replaces its chunks; a deleted one leaves nothing behind", async () => {
    const bot = await kbBot("kb-update");
    await bot.put("manuals/intro.txt", "The zebrafish aquarium needs filtered water every morning.");
    await stack.settle();
    await bot.put("manuals/intro.txt", "The aquarium now hosts a seahorse.");
    await stack.settle();
    expect((await bot.search("zebrafish")).hits).toEqual([]);
    expect((await bot.search("seahorse")).hits.map((h: any) => h.documentPath)).toEqual([bot.filePath("manuals/intro.txt")]);
    await bot.remove("manuals/intro.txt");
    await stack.settle();
    expect((await bot.search("seahorse")).hits).toEqual([]);
    const [chunks] = await stack.db.sql`select count(*)::int as n from botsync_kb_chunks where document_path = ${bot.filePath("manuals/intro.txt")}`;
    expect(chunks!.n).toBe(0);
  });

  it("removing a KB folder's last document removes the KB", async () => {
    const bot = await kbBot("kb-folders");
    await bot.put("slides/deck.pptx", makePptx([[[["Meet the okapi"]]]]));
    await bot.put("slides/brochure.pdf", makePdf([["The tapir is a shy animal."]]));
    await bot.put("faq/prices.csv", "item,price\nwombat plush,12.50\n");
    await stack.settle();
    expect((await bot.state()).kbs.map((k: any) => k.name)).toEqual(["faq", "slides"]);
    await bot.remove("slides/deck.pptx");
    await bot.remove("slides/brochure.pdf");
    await stack.settle();
    expect((await bot.state()).kbs.map((k: any) => k.name)).toEqual(["faq"]);
    expect(await stack.db.sql`select 1 from kb_collections where folder_path = 'kb-folders.gbai/kb-folders.gbkb/slides'`).toHaveLength(0);
  });

  it("a broken document fails with its reason and keeps the previous chunks searchable", async () => {
    const bot = await kbBot("kb-broken");
    await bot.put("faq/policy.docx", makeDocx({ body: docxBody(["Refunds are processed by the pangolin team."]) }));
    await stack.settle();
    await bot.put("faq/policy.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await stack.settle();
    const doc = (await bot.state()).documents.find((d: any) => d.key === "kb-broken.gbkb/faq/policy.docx");
    expect(doc).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^KB_EXTRACTION_FAILED: /), chunks: 1 });
    expect((await bot.search("pangolin")).hits).toHaveLength(1);
  });

  it("an unsupported format fails once and is not retried until it changes", async () => {
    const bot = await kbBot("kb-exe");
    await bot.put("manuals/tool.exe", "MZ");
    await stack.settle();
    await stack.service.tick();
    await waitForJobs(stack.db);
    const [row] = await stack.db.sql`select sync_status, attempts, last_error from drive_files where file_path = ${bot.filePath("manuals/tool.exe")}`;
    expect(row).toMatchObject({ sync_status: "failed", attempts: 1, last_error: expect.stringMatching(/^KB_UNSUPPORTED_FORMAT: /) });
  });

  it("a large document being indexed does not hold up a config.csv", async () => {
    const bot = await kbBot("kb-large");
    const pages = Array.from({ length: 400 }, (_, p) => Array.from({ length: 40 }, (_, l) => `page ${p} line ${l} the lemur reads quietly`));
    stack.notifications.mode = "hold";
    await bot.put("manuals/big.pdf", makePdf(pages));
    await stack.put(bot.bucket, "kb-large.gbot/config.csv", "Bot Name,KB Bot\n");
    await stack.releaseHeld();
    stack.notifications.mode = "deliver";
    let sawConfigWhileIndexing = false;
    await eventually(
      async () => {
        const [config] = await stack.db.sql`select count(*)::int as n from bot_configuration c join bots b on b.id = c.bot_id where b.name = 'kb-large'`;
        const [pdf] = await stack.db.sql`
          select sync_status, coalesce(lease_until > now(), false) as leased from drive_files where file_path = ${bot.filePath("manuals/big.pdf")}`;
        // the document is claimed by the kb lane and not done, while the config is already applied
        if (config!.n === 1 && pdf!.sync_status === "pending" && pdf!.leased) sawConfigWhileIndexing = true;
        expect(pdf!.sync_status).not.toBe("pending");
      },
      { timeoutMs: 20_000 },
    );
    expect(sawConfigWhileIndexing).toBe(true);
    await waitForJobs(stack.db, 60_000);
    expect((await bot.search("lemur")).hits.length).toBeGreaterThan(0);
  });
});

describe("re-indexing", () => {
  it("POST /api/bots/:bot/kb/reindex queues a KB's documents; botsync reindex waits with a progress bar", async () => {
    const bot = await kbBot("kb-reindex");
    await bot.put("faq/prices.csv", "item,price\nwombat plush,12.50\n");
    await bot.put("faq/sheet.xlsx", makeXlsx([{ name: "Animals", rows: [["name", "habitat"], ["capybara", "river"]] }]));
    await bot.put("faq/deep/nested/policy.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await bot.put("manuals/intro.txt", "Not in the faq KB.");
    await stack.settle();
    const [prices, manual] = [await bot.processedAt("faq/prices.csv"), await bot.processedAt("manuals/intro.txt")];
    const out = await cli("reindex", "kb-reindex", "--kb", "faq");
    // the broken policy.docx fails again; the others are indexed
    expect(out.stderr).toMatch(/indexing .* 3\/3 documents \| 1 failed/);
    expect(out.stdout).toMatch(/indexed 2 document\(s\), 1 failed/);
    expect(out.stderr).toMatch(/kb-reindex\.gbkb\/faq\/deep\/nested\/policy\.docx: KB_EXTRACTION_FAILED/);
    expect(out.code).toBe(1);
    expect(await bot.processedAt("faq/prices.csv")).toBeGreaterThan(prices);
    expect(await bot.processedAt("manuals/intro.txt")).toBe(manual);
  });

  it("kb=default takes the documents directly under {bot}.gbkb/, and an unknown KB is a 404 naming the KBs (exit 1 in the CLI)", async () => {
    const bot = await kbBot("kb-default");
    await bot.put("loose-notes.md", "# Loose\nA note outside any KB folder.\n");
    await bot.put("faq/reindex-check.md", "# Check\nA document in the faq KB.\n");
    await stack.settle();
    const [loose, faq] = [await bot.processedAt("loose-notes.md"), await bot.processedAt("faq/reindex-check.md")];
    const queued = await (await stack.api("/api/bots/kb-default/kb/reindex?kb=default", { method: "POST" })).json<any>();
    expect(queued).toEqual({ bot: "kb-default", kb: "default", queued: 1 });
    await stack.settle();
    expect(await bot.processedAt("loose-notes.md")).toBeGreaterThan(loose);
    expect(await bot.processedAt("faq/reindex-check.md")).toBe(faq);

    const missing = await stack.api("/api/bots/kb-default/kb/reindex?kb=nosuch", { method: "POST" });
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.message).toBe('bot "kb-default" has no KB named "nosuch" (its KBs: default, faq)');
    const out = await cli("reindex", "kb-default", "--kb", "nosuch");
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('has no KB named "nosuch"');
  });
});
