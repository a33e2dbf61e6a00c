/**
 * csv / tsv — "the lines verbatim", as the botserver does (docs/botserver-compatibility.md, "Knowledge base:
 * formats and caps").
 *
 * No parser library: the botserver keeps the lines as they are, cleaning then joins them with spaces, and a
 * verbatim copy can never fail on a malformed row (a stray quote would make a strict CSV parser reject a whole
 * 1 GiB export). Rendering rows as "header: value" pairs was considered and rejected: it repeats every header
 * on every row, roughly halving the rows per 1,000-character chunk. The file is decoded as it arrives, and
 * read only as far as the text limit keeps (CSV's size cap is 1 GiB; V8 strings stop at ~512 M units).
 */
export { extractPlainText as extractDelimited } from "./extract-text.js";
