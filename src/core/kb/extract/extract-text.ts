/**
 * txt — "read as-is" (reference/botserver.md §4.2). No library: bytes are decoded by decodeText (BOM,
 * UTF-16, UTF-8, Windows-1252 fallback; see decode-text.ts) and passed on unchanged; cleaning happens before
 * chunking. Only a prefix of a huge file is decoded when the text limit would cut it anyway (the botserver
 * similarly streams files over 10 MiB and stops at 100,000 lines).
 */
import type { ExtractContext } from "./context.js";
import { decodeText } from "./decode-text.js";

/** Decodes bytes as text into the sink, recording decoding warnings. Shared by the plain-text formats. */
export function decodeInto(bytes: Uint8Array, ctx: ExtractContext): void {
  const decoded = decodeText(bytes, ctx.limits.maxExtractedChars);
  for (const w of decoded.warnings) ctx.warn(w);
  ctx.sink.push(decoded.text);
}

export function extractPlainText(bytes: Uint8Array, ctx: ExtractContext): void {
  decodeInto(bytes, ctx);
}
