/**
 * html / htm.
 *
 * Library: `htmlparser2` through MarkupStream (see markup-stream.ts) in HTML mode — a real HTML5 tokenizer,
 * where the botserver does a naive tag strip (splitting on `<` and `>`), which keeps
 * scripts, styles and entity codes (`&amp;`) and glues words across tags.
 *
 * - The text of script, style, noscript, template, svg, math, object, iframe and canvas is dropped
 *   (code, not content; iframe/canvas/object hold fallback markup). Comments are dropped.
 * - Entities are decoded (`&eacute;` → é).
 * - Block elements (p, div, headings, lists, tables rows, br, hr, …) end a line; table cells are separated
 *   by a space, so words never run together across tags. Each line is white-space-collapsed and trimmed.
 * - `<title>` is kept (it is usually the best one-line summary of a page).
 * HTML is never "malformed" — browsers recover from anything, and so does this; only a timeout or the
 * size cap stops it. The page is decoded (UTF-8, else Windows-1252; `<meta charset>` is not consulted) and
 * parsed as its bytes arrive, so reading stops where the text limit is reached.
 */
import { LineBuilder, type ExtractContext, type StreamingExtraction } from "./context.js";
import { decodedInto } from "./extract-text.js";
import { MarkupStream } from "./markup-stream.js";

const SKIPPED = new Set(["script", "style", "noscript", "template", "svg", "math", "object", "iframe", "canvas"]);

const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
  "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
  "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section",
  "select", "summary", "table", "tbody", "textarea", "tfoot", "thead", "title", "tr", "ul",
]);

const CELL = new Set(["td", "th"]);

export function extractHtml(ctx: ExtractContext): StreamingExtraction {
  const out = new LineBuilder(ctx.sink);
  let skipDepth = 0;
  const markup = new MarkupStream(
    {
      open(name) {
        if (skipDepth > 0 || SKIPPED.has(name)) {
          // void elements inside skipped ones still get a close event, so counting stays balanced
          skipDepth++;
          return;
        }
        if (BLOCK.has(name)) out.flush();
        else if (CELL.has(name)) out.space();
      },
      close(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        if (BLOCK.has(name)) out.flush();
        else if (CELL.has(name)) out.space();
      },
      text(text) {
        if (skipDepth === 0) out.append(text);
      },
    },
    { xml: false, what: "HTML document", deadline: ctx.deadline },
  );
  return decodedInto(
    (text) => markup.write(text),
    () => {
      markup.end();
      out.flush();
    },
  );
}
