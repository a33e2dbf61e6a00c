/**
 * Bytes → string for the text formats (txt, md, csv, tsv, json, jsonl, yaml, xml, html).
 *
 * The botserver reads these "as-is" (docs/botserver-compatibility.md, "Knowledge base: formats and caps") and does not say what happens with bytes
 * that are not UTF-8. General Bots deployments are largely Brazilian, where text files saved by Windows
 * tools in Windows-1252 are common, so failing them (or turning every "ção" into "��o") would make real
 * documents unsearchable. Decision:
 *   - a UTF-8 BOM is stripped; a UTF-16 BOM (FF FE / FE FF, Notepad's "Unicode") selects UTF-16;
 *   - valid UTF-8 is decoded as UTF-8;
 *   - invalid UTF-8 is decoded as Windows-1252 when it contains no valid multi-byte UTF-8 sequence at all or
 *     more invalid than valid ones (a legacy 8-bit file), else as UTF-8 with U+FFFD replacements (a UTF-8
 *     file with a few bad bytes). Either way a warning says so. Decoding never fails.
 * Windows-1252 and UTF-16 are decoded by hand: workerd's TextDecoder only guarantees UTF-8.
 */
import { byteOrderMark } from "../../text/byte-order-mark.js";
import { decodeUtf8Strict } from "../../text/utf8.js";

const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

const CHUNK = 16_384;

function fromCodeUnits(units: Uint16Array): string {
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]));
  }
  return parts.join("");
}

export function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    units[i] = b >= 0x80 && b <= 0x9f ? (WINDOWS_1252_HIGH[b - 0x80] as number) : b;
  }
  return fromCodeUnits(units);
}

export function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  const n = bytes.length >> 1;
  const units = new Uint16Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const a = bytes[j] as number;
    const b = bytes[j + 1] as number;
    units[i] = littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  return fromCodeUnits(units);
}

/** Counts valid multi-byte UTF-8 sequences and invalid bytes (an estimate for choosing the decoding). */
export function utf8Census(bytes: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else {
      invalid++;
      i++;
      continue;
    }
    // a sequence cut by the end of the input is neither valid nor (for a decoded prefix) invalid
    if (i + need >= n) break;
    let cp = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}

export interface DecodedText {
  text: string;
  /** "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" */
  encoding: string;
  warnings: string[];
}

/**
 * Decodes `bytes` as described in the module comment. With `maxChars`, only a prefix long enough to give at
 * least `maxChars + 1` UTF-16 code units is decoded (the caller truncates and reports it).
 */
export function decodeText(bytes: Uint8Array, maxChars = Number.POSITIVE_INFINITY): DecodedText {
  const prefixFor = (bytesPerUnit: number, from: number): Uint8Array => {
    const want = (maxChars + 1) * bytesPerUnit + from;
    return Number.isFinite(want) && want < bytes.length ? bytes.subarray(from, want) : bytes.subarray(from);
  };

  const mark = byteOrderMark(bytes);
  if (mark && mark.encoding !== "utf-8") {
    return { text: decodeUtf16(prefixFor(2, mark.length), mark.encoding === "utf-16le"), encoding: mark.encoding, warnings: [] };
  }
  const bom = mark?.length ?? 0;
  // a UTF-8 code unit takes at most 3 bytes
  const body = prefixFor(3, bom);
  const cut = body.length < bytes.length - bom; // decoding a prefix: the last sequence may be incomplete
  try {
    return { text: decodeUtf8Strict(body, { stream: cut }), encoding: "utf-8", warnings: [] };
  } catch {
    const { multibyte, invalid } = utf8Census(body);
    if (multibyte === 0 || invalid > multibyte) {
      const text = decodeWindows1252(cut ? prefixFor(1, bom) : body);
      return { text, encoding: "windows-1252", warnings: ["not valid UTF-8; decoded as Windows-1252"] };
    }
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(body, { stream: cut });
    return {
      text,
      encoding: "utf-8",
      warnings: [`${invalid} invalid UTF-8 byte sequence${invalid === 1 ? "" : "s"} replaced with U+FFFD`],
    };
  }
}
