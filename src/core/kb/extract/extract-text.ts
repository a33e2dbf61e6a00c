/**
 * txt — "read as-is", like the botserver. No library: bytes are decoded as they arrive by
 * TextStreamDecoder (BOM, UTF-16, UTF-8, Windows-1252 fallback; see decode-text-stream.ts) and passed on
 * unchanged; cleaning happens before chunking. Reading stops where the text limit cuts the document (the
 * botserver similarly streams files over 10 MiB and stops at 100,000 lines).
 */
import type { ExtractContext, StreamingExtraction } from "./context.js";
import { TextStreamDecoder } from "./decode-text-stream.js";

/** Decodes the bytes as text straight into the sink. Shared by the plain-text formats. */
export function extractPlainText(ctx: ExtractContext): StreamingExtraction {
  return decodedInto((text) => ctx.sink.push(text), () => {});
}

/** A streaming extraction that decodes the bytes and hands the text to `onText`; `onEnd` after the last. */
export function decodedInto(onText: (text: string) => void, onEnd: () => void, extraWarnings: () => string[] = () => []): StreamingExtraction {
  const decoder = new TextStreamDecoder(onText);
  return {
    write: (bytes) => decoder.write(bytes),
    end: () => {
      decoder.end();
      onEnd();
    },
    warnings: () => [...decoder.warnings(), ...extraWarnings()],
  };
}
