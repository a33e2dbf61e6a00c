/**
 * Bytes → string for the text formats as the bytes arrive, so a 1 GiB CSV is decoded piece by piece and
 * never held whole. The decisions are decodeText's (see decode-text.ts), made as early as the stream allows:
 *   - the BOM is read from the first bytes (UTF-8 BOM stripped; UTF-16 LE/BE selected);
 *   - without a UTF-16 BOM the text is UTF-8 until a piece fails to decode strictly. Then, if everything
 *     before it was ASCII (identical in Windows-1252, so nothing written so far changes meaning) and the
 *     piece has no valid multi-byte sequence, or more invalid than valid ones, the rest is read as
 *     Windows-1252; otherwise as UTF-8 with U+FFFD replacements, counted for the warning.
 * A whole buffer fed in one call is cut into pieces of DECODE_PIECE_BYTES, so for a file whose first
 * invalid byte lies in its first MiB the outcome is decodeText's; a later one is judged on its own piece
 * (decodeText would weigh it against the whole file, which a stream cannot see).
 * Sequences split across pieces are carried over, never decoded in halves.
 */
import { byteOrderMark } from "../../text/byte-order-mark.js";
import { decodeUtf16, decodeWindows1252, utf8Census } from "./decode-text.js";

/** Bytes decoded per step: bounds the work done before the text limit or the deadline can stop it. */
export const DECODE_PIECE_BYTES = 1 << 20;

type Mode = "undecided" | "utf-8" | "utf-8-lenient" | "windows-1252" | "utf-16le" | "utf-16be";

const EMPTY: Uint8Array = new Uint8Array(0);

export class TextStreamDecoder {
  private mode: Mode = "undecided";
  /** the first bytes, until there are enough to look for a BOM */
  private head: Uint8Array = EMPTY;
  /** an incomplete UTF-8 sequence or odd UTF-16 byte at the end of the last piece */
  private carry: Uint8Array = EMPTY;
  /** whether any non-ASCII text was written (then switching to Windows-1252 would change its meaning) */
  private nonAscii = false;
  private replaced = 0;
  private readonly strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder("utf-8", { ignoreBOM: true });

  constructor(private readonly onText: (text: string) => void) {}

  write(bytes: Uint8Array): void {
    if (this.mode === "undecided") {
      this.head = concat(this.head, bytes);
      if (this.head.length < 3) return;
      bytes = this.decide();
    }
    for (let i = 0; i < bytes.length; i += DECODE_PIECE_BYTES) this.piece(bytes.subarray(i, i + DECODE_PIECE_BYTES));
  }

  end(): void {
    if (this.mode === "undecided") {
      const rest = this.decide();
      if (rest.length > 0) this.piece(rest);
    }
    const tail = this.carry;
    this.carry = EMPTY;
    if (tail.length === 0 || this.mode === "utf-16le" || this.mode === "utf-16be") return; // an odd last UTF-16 byte is dropped
    // an incomplete UTF-8 sequence at the very end
    if (this.mode === "utf-8" && !this.nonAscii) {
      this.mode = "windows-1252";
      this.onText(decodeWindows1252(tail));
      return;
    }
    this.replaced++;
    this.onText(this.lenient.decode(tail));
  }

  /** What the decoding had to do, for the document's warnings (also after the text limit stopped it). */
  warnings(): string[] {
    if (this.mode === "windows-1252") return ["not valid UTF-8; decoded as Windows-1252"];
    if (this.replaced > 0) return [`${this.replaced} invalid UTF-8 byte sequence${this.replaced === 1 ? "" : "s"} replaced with U+FFFD`];
    return [];
  }

  /** Picks the encoding from the BOM; returns the bytes after it. */
  private decide(): Uint8Array {
    const h = this.head;
    this.head = EMPTY;
    const mark = byteOrderMark(h);
    this.mode = mark?.encoding ?? "utf-8";
    return h.subarray(mark?.length ?? 0);
  }

  private piece(bytes: Uint8Array): void {
    const data = this.carry.length > 0 ? concat(this.carry, bytes) : bytes;
    this.carry = EMPTY;
    switch (this.mode) {
      case "utf-16le":
      case "utf-16be": {
        const even = data.length & ~1;
        this.carry = data.slice(even);
        if (even > 0) this.onText(decodeUtf16(data.subarray(0, even), this.mode === "utf-16le"));
        return;
      }
      case "windows-1252":
        this.onText(decodeWindows1252(data));
        return;
      default:
        this.utf8(data);
    }
  }

  private utf8(data: Uint8Array): void {
    const cut = completeUtf8Prefix(data);
    this.carry = data.slice(cut);
    const body = data.subarray(0, cut);
    if (body.length === 0) return;
    if (this.mode === "utf-8-lenient") {
      const text = this.lenient.decode(body);
      if (text.includes("\ufffd")) this.replaced += utf8Census(body).invalid;
      this.onText(text);
      return;
    }
    let text: string;
    try {
      text = this.strict.decode(body);
    } catch {
      const { multibyte, invalid } = utf8Census(body);
      if (!this.nonAscii && (multibyte === 0 || invalid > multibyte)) {
        this.mode = "windows-1252";
        this.onText(decodeWindows1252(data)); // the carried bytes too: Windows-1252 has no sequences
        this.carry = EMPTY;
        return;
      }
      this.mode = "utf-8-lenient";
      this.replaced += invalid;
      this.nonAscii = true;
      this.onText(this.lenient.decode(body));
      return;
    }
    // valid UTF-8 decodes to fewer UTF-16 units than bytes exactly when it has a multi-byte sequence
    if (text.length < body.length) this.nonAscii = true;
    this.onText(text);
  }
}

/** The length of `b` without a UTF-8 sequence that its end cuts short. */
function completeUtf8Prefix(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const c = b[i] as number;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return i + need > n ? i : n;
  }
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
