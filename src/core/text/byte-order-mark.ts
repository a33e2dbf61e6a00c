/**
 * Byte-order marks, recognised in one place. An editor writes at most one; only that one is dropped, so a
 * second U+FEFF stays content.
 */

export type MarkedEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** The encoding a leading byte-order mark declares and the mark's length, or null without one. */
export function byteOrderMark(bytes: Uint8Array): { encoding: MarkedEncoding; length: number } | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  return null;
}

/** 3 when `bytes` start with the UTF-8 byte-order mark (EF BB BF), else 0. */
export function utf8BomLength(bytes: Uint8Array): number {
  return byteOrderMark(bytes)?.encoding === "utf-8" ? 3 : 0;
}

/** `text` without one leading U+FEFF (the mark, once decoded). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
