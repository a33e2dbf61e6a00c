import { afterAll, describe, expect, it } from "vitest";
import { ThreadExtractor } from "../../src/adapters/kb/thread-extractor.js";
import { makePdf } from "../unit/kb/documents.js";

const extractor = new ThreadExtractor(20_000);
afterAll(() => extractor.close());

describe("ThreadExtractor", () => {
  it("extracts in a reused worker thread and reports content errors without losing the thread", async () => {
    expect(await extractor.extract("txt", new TextEncoder().encode("hello thread"))).toEqual({ text: "hello thread" });
    await expect(extractor.extract("docx", new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: "KB_EXTRACTION_FAILED" });
    expect(await extractor.extract("md", new TextEncoder().encode("# still here"))).toMatchObject({ text: expect.stringContaining("still here") });
  });

  it("terminates an extraction past its time limit, and the next one gets a fresh thread", async () => {
    const slow = new ThreadExtractor(1);
    const pages = Array.from({ length: 200 }, (_, p) => [`page ${p} of a document that takes longer than a millisecond`]);
    await expect(slow.extract("pdf", makePdf(pages))).rejects.toMatchObject({ code: "KB_EXTRACTION_TIMEOUT" });
    await slow.close();
    expect(await extractor.extract("pdf", makePdf([["after the timeout"]]))).toMatchObject({ text: expect.stringContaining("after the timeout") });
  });
});
