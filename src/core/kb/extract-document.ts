/**
 * A KB document from its byte stream to its chunks: extraction (extract/), then the botserver's cleaning and
 * chunking (chunk.ts). It runs where the bytes are — in the extraction thread on Node, inline in workerd —
 * so the calling thread never holds the document, and cleaning and chunking 10M characters (tens of
 * milliseconds) never run on the event loop that answers /health and webhooks.
 */
import type { ExtractedDocument } from "../ports/document-extractor.js";
import { chunkDocument, type Chunk, type ChunkingOptions } from "./chunk.js";
import { extractTextFromStream, limitsFor, textCutWarning, type ExtractLimits } from "./extract/extract.js";
import type { Spool } from "./extract/random-access.js";
import type { KbFormat } from "./kb-format.js";

export interface ExtractionInput {
  format: KbFormat;
  body: ReadableStream<Uint8Array>;
  size: number;
  chunking: ChunkingOptions;
  /** where a ZIP document is stored while it is read (in memory if not given) */
  spool?: Spool;
}

/** The cleaned text with its chunks (which are slices of it), and what happened on the way. */
export interface ChunkedText extends Omit<ExtractedDocument, "chunks"> {
  text: string;
  chunks: Chunk[];
}

export async function extractChunkedText(input: ExtractionInput, limits: ExtractLimits = limitsFor(input.format)): Promise<ChunkedText> {
  const { text, meta } = await extractTextFromStream(input.format, input.body, input.size, limits, input.spool);
  const document = chunkDocument(text, input.chunking);
  const cut = textCutWarning(limits.maxExtractedChars);
  return {
    text: document.text,
    chunks: document.chunks,
    textTruncated: meta.truncated === true,
    chunksTruncated: document.truncated,
    warnings: (meta.warnings ?? []).filter((w) => w !== cut),
  };
}

export async function extractDocument(input: ExtractionInput, limits?: ExtractLimits): Promise<ExtractedDocument> {
  const { text: _text, chunks, ...rest } = await extractChunkedText(input, limits);
  return { ...rest, chunks: chunks.map(({ index, text, start, end }) => ({ index, text, start, end })) };
}

/**
 * Chunks as the cleaned text plus four numbers per chunk (UTF-16 start and end, code-point start and end):
 * one string and one buffer cross a thread boundary in a few milliseconds, where ten thousand chunk objects
 * would hold the receiving event loop for tens.
 */
export function packChunks(chunks: readonly Chunk[]): Uint32Array<ArrayBuffer> {
  const bounds = new Uint32Array(chunks.length * 4);
  chunks.forEach((c, i) => bounds.set([c.utf16Start, c.utf16End, c.start, c.end], i * 4));
  return bounds;
}

export function unpackChunks(text: string, bounds: Uint32Array): ExtractedDocument["chunks"] {
  const chunks: ExtractedDocument["chunks"] = [];
  for (let i = 0; i < bounds.length; i += 4) {
    chunks.push({ index: i / 4, text: text.slice(bounds[i], bounds[i + 1]), start: bounds[i + 2]!, end: bounds[i + 3]! });
  }
  return chunks;
}
