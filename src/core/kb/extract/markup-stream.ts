/**
 * A streaming (SAX-style) reader for XML and HTML, shared by the xml, html, docx, xlsx and pptx extractors.
 *
 * Library: `htmlparser2` (fb55; pure JS, no native code, no fs, runs in workerd; one of the fastest JS
 * markup tokenizers, used by cheerio). Its `Parser` is incremental: text is written in pieces, so a ZIP
 * entry can be parsed while it is inflated, without holding the whole XML as one string, and a deadline can
 * be checked between pieces. It never expands DTD-declared entities (no "billion laughs"), only the
 * predefined and numeric ones.
 *
 * htmlparser2 is lenient (an HTML parser at heart). In XML mode this wrapper adds the checks that catch
 * broken files — truncated or garbage XML fails with KB_EXTRACTION_FAILED instead of yielding half a
 * document: an element left open at the end, or closed by the end tag of an ancestor (mismatched nesting);
 * non-blank text outside the root element; a second root element; no root element at all. (A stray end tag
 * with no open element is silently ignored by the tokenizer and not detected: this is a well-formedness
 * check for damaged files, not a validator.)
 */
import { Parser } from "htmlparser2";
import { extractionFailed, type Deadline } from "./context.js";

export interface MarkupHandler {
  open?(name: string, attributes: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** Text is written to the parser in pieces of at most this many UTF-16 units, with a deadline check between. */
export const MARKUP_WRITE_STEP = 1 << 20;

export class MarkupStream {
  private readonly parser: Parser;
  private depth = 0;
  private rootSeen = false;
  /** end index (in the input) of the last start tag, to recognise a self-closing tag's implied close */
  private lastOpenEnd = -1;
  private problem: string | null = null;

  /**
   * @param xml XML mode (case-sensitive names, CDATA as text, self-closing tags, well-formedness checks)
   *            or HTML mode (HTML5 tokenizer rules, lower-cased names, no checks).
   * @param what names the document/part in error messages.
   */
  constructor(
    handler: MarkupHandler,
    private readonly opts: { xml: boolean; what: string; deadline: Deadline },
  ) {
    const xml = opts.xml;
    this.parser = new Parser(
      {
        onopentag: (name, attributes) => {
          if (xml) {
            if (this.depth === 0 && this.rootSeen) this.fail(`a second root element <${name}>`);
            this.rootSeen = true;
          }
          this.depth++;
          this.lastOpenEnd = this.parser.endIndex;
          handler.open?.(name, attributes);
        },
        onclosetag: (name, isImplied) => {
          // htmlparser2 reports a self-closing tag (`<a/>`) as an implied close within the same token as its
          // start tag; any other implied close in XML is an element that was never closed.
          if (xml && isImplied && this.parser.endIndex !== this.lastOpenEnd) this.fail(`element <${name}> is not closed`);
          this.lastOpenEnd = -1;
          this.depth--;
          handler.close?.(name);
        },
        ontext: (text) => {
          if (xml && this.depth === 0) {
            if (/\S/.test(text)) this.fail(this.rootSeen ? "text after the root element" : "text before the root element");
            return;
          }
          handler.text?.(text);
        },
      },
      { xmlMode: xml, decodeEntities: true },
    );
  }

  private fail(problem: string): never {
    this.problem ??= problem;
    throw extractionFailed(`${this.opts.what}: malformed ${this.opts.xml ? "XML" : "HTML"} (${problem})`);
  }

  write(text: string): void {
    if (text.length <= MARKUP_WRITE_STEP) {
      this.parser.write(text);
      return;
    }
    for (let i = 0; i < text.length; i += MARKUP_WRITE_STEP) {
      this.parser.write(text.slice(i, i + MARKUP_WRITE_STEP));
      this.opts.deadline.check();
    }
  }

  end(): void {
    this.parser.end();
    if (this.opts.xml && !this.rootSeen) this.fail("no root element");
  }
}

/** `w:t` → `t` (OOXML is matched by local name, whatever prefix a producer chose). */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}
