/**
 * String literals. Scripts were always fed to Rhai verbatim, so the de-facto string syntax is Rhai's
 * (backslash escapes); BASIC's doubled quote ("say ""hi""") is accepted too, and so is a single-quoted
 * literal where a value is expected (`IF x = '' THEN`, `TALK 'Hi'`), with `''` for a quote inside it.
 * Every literal is written to the `.ast` as a Rhai string with the same VALUE: a backslash that is not a
 * Rhai escape (`"C:\temp"`, `"\'"`) would make the whole script fail to load, so the text is re-encoded.
 */
import type { Token } from "./tokens.js";

/** Rhai's escapes in "…" strings (`\'` and `\0` are not among them: Rhai rejects the script). */
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };

function hexEscape(inner: string, p: number, length: number): { char: string; next: number } | null {
  const hex = inner.slice(p, p + length);
  if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const code = Number.parseInt(hex, 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { char: String.fromCodePoint(code), next: p + length };
}

/** The text a string token stands for. */
export function stringValue(token: Pick<Token, "text" | "unterminated">): string {
  const text = token.text;
  const quote = text[0];
  const inner = text.slice(1, token.unterminated ? undefined : -1);
  if (quote === "'") return inner.replaceAll("''", "'");
  if (inner.indexOf("\\") < 0 && inner.indexOf('""') < 0) return inner;
  let out = "";
  for (let p = 0; p < inner.length; p++) {
    const ch = inner[p]!;
    if (ch === "\\" && p + 1 < inner.length) {
      const next = inner[p + 1]!;
      const hex = next === "x" ? hexEscape(inner, p + 2, 2) : next === "u" ? hexEscape(inner, p + 2, 4) : next === "U" ? hexEscape(inner, p + 2, 8) : null;
      if (hex !== null) {
        out += hex.char;
        p = hex.next - 1;
      } else if (ESCAPES[next] !== undefined) {
        out += ESCAPES[next];
        p++;
      } else if (next === "'") {
        out += "'"; // `\'` means a quote, whatever Rhai thinks of it
        p++;
      } else out += "\\"; // not an escape: the backslash is text
    } else if (ch === '"' && inner[p + 1] === '"') {
      out += '"';
      p++;
    } else out += ch;
  }
  return out;
}

/** The Rhai literal for a string token: the same value, in escapes Rhai accepts. */
export function rhaiStringLiteral(token: Pick<Token, "text" | "unterminated">): string {
  const text = token.text;
  // The common case: nothing to re-encode.
  if (text[0] === '"' && !token.unterminated && !/[\\\u0000-\u001f\u007f]/.test(text) && text.indexOf('""', 1) < 0) return text;
  return quoteRhai(stringValue(token));
}

/** A Rhai `"…"` literal for arbitrary text. */
export function quoteRhai(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " " || ch === "\u007f") out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}
