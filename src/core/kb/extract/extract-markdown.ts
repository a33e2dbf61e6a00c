/**
 * md / markdown — "read as-is" like txt, as the botserver does. No library: Markdown is readable
 * text already, and its syntax characters (`#`, `*`, `|`) cost little in embeddings and full-text search,
 * whereas rendering it would drop link targets and code that users search for.
 */
export { extractPlainText as extractMarkdown } from "./extract-text.js";
