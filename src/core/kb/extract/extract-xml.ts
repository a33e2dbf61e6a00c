/**
 * xml — the botserver's "text extraction": the character data of the document, in order.
 *
 * Library: `htmlparser2` through MarkupStream (markup-stream.ts) in XML mode, with its well-formedness checks:
 * a truncated or garbled file fails with KB_EXTRACTION_FAILED. DTD entities are not expanded (no entity
 * bombs); predefined and numeric references are decoded; CDATA sections are text.
 *
 * A DOCTYPE in the prolog is blanked out before parsing (the tokenizer would end it at the first `>` of an
 * internal subset); its entity declarations are never used.
 *
 * Every element boundary ends a line, so `<first>Ada</first><last>Lovelace</last>` gives "Ada" and
 * "Lovelace" on two lines, never "AdaLovelace". Attribute values, comments and processing instructions are
 * not text and are dropped. Encoding: decoded as the bytes arrive (the `encoding="…"` of the declaration is
 * not consulted; non-UTF-8 input falls back to Windows-1252, which covers ISO-8859-1). The first
 * PROLOG_CHARS of text are held back until the DOCTYPE is blanked; the rest is parsed as it arrives, so
 * reading stops where the text limit is reached.
 */
import { LineBuilder, type ExtractContext, type StreamingExtraction } from "./context.js";
import { decodedInto } from "./extract-text.js";
import { MarkupStream } from "./markup-stream.js";

/** Text held back for blankDoctype: the prolog it scans, plus room for an internal subset. */
export const PROLOG_CHARS = 2 << 20;

/** Replaces a prolog DOCTYPE by spaces (same length, so positions stay right). A linear scan, no regex. */
export function blankDoctype(xml: string): string {
  let i = 0;
  const n = Math.min(xml.length, 1 << 20);
  for (;;) {
    while (i < n && /\s/.test(xml[i] as string)) i++;
    if (xml.startsWith("<?", i)) {
      const e = xml.indexOf("?>", i + 2);
      if (e < 0) return xml;
      i = e + 2;
    } else if (xml.startsWith("<!--", i)) {
      const e = xml.indexOf("-->", i + 4);
      if (e < 0) return xml;
      i = e + 3;
    } else break;
  }
  if (xml.slice(i, i + 9).toUpperCase() !== "<!DOCTYPE") return xml;
  let j = i + 9;
  while (j < xml.length && xml[j] !== "[" && xml[j] !== ">") j++;
  if (xml[j] === "[") {
    // internal subset: up to "]" followed by optional white space and ">"
    for (;;) {
      const close = xml.indexOf("]", j + 1);
      if (close < 0) return xml;
      let k = close + 1;
      while (k < xml.length && /\s/.test(xml[k] as string)) k++;
      if (xml[k] === ">") {
        j = k;
        break;
      }
      j = close;
    }
  }
  if (xml[j] !== ">") return xml;
  return xml.slice(0, i) + " ".repeat(j + 1 - i) + xml.slice(j + 1);
}

export function extractXml(ctx: ExtractContext): StreamingExtraction {
  const out = new LineBuilder(ctx.sink);
  const markup = new MarkupStream(
    {
      open: () => out.flush(),
      close: () => out.flush(),
      text: (text) => out.append(text),
    },
    { xml: true, what: "XML document", deadline: ctx.deadline },
  );
  let prolog: string[] | null = [];
  let prologChars = 0;
  const writeProlog = () => {
    if (prolog === null) return;
    const text = prolog.join("");
    prolog = null;
    markup.write(blankDoctype(text));
  };
  return decodedInto(
    (text) => {
      if (prolog === null) return markup.write(text);
      prolog.push(text);
      prologChars += text.length;
      if (prologChars >= PROLOG_CHARS) writeProlog();
    },
    () => {
      writeProlog();
      markup.end();
      out.flush();
    },
  );
}
