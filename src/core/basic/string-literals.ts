/**
 * String literals. Scripts were always fed to Rhai verbatim, so the de-facto string syntax is Rhai's
 * (backslash escapes); BASIC's doubled quote ("say ""hi""") is accepted too and rewritten as `\"`.
 */

/** Rhai source text for a `"…"` token: BASIC `""` inside becomes `\"`; everything else is kept. */
export function rhaiStringLiteral(tokenText: string): string {
  if (tokenText.indexOf('""', 1) < 0 || tokenText.length < 4) return tokenText;
  let out = '"';
  const last = tokenText.length - 1;
  for (let p = 1; p < last; p++) {
    const ch = tokenText[p];
    if (ch === "\\" && p + 1 < last) {
      out += tokenText.slice(p, p + 2);
      p++;
    } else if (ch === '"' && tokenText[p + 1] === '"' && p + 1 < last) {
      out += '\\"';
      p++;
    } else out += ch;
  }
  return out + tokenText.slice(last);
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\" };

/** The text a `"…"` token stands for. */
export function stringValue(tokenText: string, unterminated = false): string {
  const inner = tokenText.slice(1, unterminated ? undefined : -1);
  if (inner.indexOf("\\") < 0 && inner.indexOf('""') < 0) return inner;
  let out = "";
  for (let p = 0; p < inner.length; p++) {
    const ch = inner[p]!;
    if (ch === "\\" && p + 1 < inner.length) {
      const next = inner[++p]!;
      out += ESCAPES[next] ?? next;
    } else if (ch === '"' && inner[p + 1] === '"') {
      out += '"';
      p++;
    } else out += ch;
  }
  return out;
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
    else out += ch;
  }
  return out + '"';
}
