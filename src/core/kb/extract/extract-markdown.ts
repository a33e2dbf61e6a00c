/**
 * md / markdown — "read as-is" like txt (reference/botserver.md §4.2). No library: Markdown is readable
 * text already, and its syntax characters (`#`, `*`, `|`) cost little in embeddings and full-text search,
 * whereas rendering it would drop link targets and code that users search for.
 */
import type { ExtractContext } from "./context.js";
import { decodeInto } from "./extract-text.js";

export function extractMarkdown(bytes: Uint8Array, ctx: ExtractContext): void {
  decodeInto(bytes, ctx);
}
