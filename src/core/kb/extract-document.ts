/**
 * A KB document from its byte stream to its chunks: extraction (extract/), then the botserver's cleaning and
 * chunking (chunk.ts). It runs where the bytes are — in the extraction thread on Node, inline in workerd —
 * so the calling thread never holds the document, and cleaning and chunking 10M characters (tens of
 * milliseconds) never run on the event loop that answers /health and webhooks.
 */
import type { ExtractedDocument } from "../ports/document-extractor.js";
import { chunkDocument, type ChunkingOptions } from "./chunk.js";
import { extractTextFromStream, limitsFor, textCutWarning, type ExtractLimits } from "./extract/extract.js";
import type { KbFormat } from "./kb-format.js";

export async function extractDocument(
  request: { format: KbFormat; body: ReadableStream<Uint8Array>; size: number; chunking: ChunkingOptions },
  limits: ExtractLimits = limitsFor(request.format),
): Promise<ExtractedDocument> {
  const { text, meta } = await extractTextFromStream(request.format, request.body, request.size, limits);
  const document = chunkDocument(text, request.chunking);
  const cut = textCutWarning(limits.maxExtractedChars);
  return {
    chunks: document.chunks.map(({ index, text, start, end }) => ({ index, text, start, end })),
    textTruncated: meta.truncated === true,
    chunksTruncated: document.truncated,
    warnings: (meta.warnings ?? []).filter((w) => w !== cut),
  };
}
