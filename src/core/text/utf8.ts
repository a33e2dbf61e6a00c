/**
 * UTF-8 as botsync reads every file (config.csv, dialogs, KB text, sealed values): decoded strictly, so
 * bytes that are not UTF-8 are an error the caller names, never U+FFFD slipped into stored text.
 */
import { utf8BomLength } from "./byte-order-mark.js";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes well-formed UTF-8 and throws a TypeError on anything else. A BOM is kept (as U+FEFF). With
 * `stream`, `bytes` is a prefix whose last sequence may be cut: that sequence is left out instead of failing.
 */
export function decodeUtf8Strict(bytes: Uint8Array, options: { stream?: boolean } = {}): string {
  // A decoder in stream mode keeps the cut sequence for a next call: such a call gets a decoder of its own.
  return options.stream ? new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true }) : strict.decode(bytes);
}

/** The text of a UTF-8 file without its byte-order mark, or null when the bytes are not UTF-8. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return decodeUtf8Strict(bytes.subarray(utf8BomLength(bytes)));
  } catch {
    return null;
  }
}
