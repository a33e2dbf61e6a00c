/**
 * yaml / yml (not supported by the botserver, which fails them as an unsupported format:
 * docs/botserver-compatibility.md, "Knowledge base: formats and caps").
 *
 * Library: `yaml` (eemeli/yaml; pure JS, no dependencies, runs in workerd; the maintained YAML 1.2 parser).
 * We walk its document AST rather than converting to JS objects: an alias (`*ref`) to a collection is
 * skipped instead of expanded, so an alias bomb ("billion laughs") costs nothing (an alias to a scalar is
 * that scalar), and keys that are not strings are fine. Every scalar leaf becomes a line like JSON's (see
 * extract-json.ts): "key: value" for a mapping value (sequence items take the key of their sequence),
 * "value" at the top level; nulls are skipped. All documents of a multi-document stream are read.
 * A file that does not parse is indexed as plain text (with a warning), as JSON is.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { ExtractContext } from "./context.js";
import { decodeText } from "./decode-text.js";
import { writeLeaf } from "./extract-json.js";

function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return null; // !!binary
  return String(value);
}

export function extractYaml(bytes: Uint8Array, ctx: ExtractContext): void {
  const decoded = decodeText(bytes);
  for (const w of decoded.warnings) ctx.warn(w);
  let list: ReturnType<typeof parseAllDocuments>;
  try {
    list = parseAllDocuments(decoded.text, { prettyErrors: false, uniqueKeys: false, strict: false });
  } catch (error) {
    ctx.warn(`not valid YAML (${error instanceof Error ? error.message : String(error)}); indexed as plain text`);
    ctx.sink.push(decoded.text);
    return;
  }
  const firstError = list.flatMap((d) => d.errors)[0];
  if (firstError !== undefined) {
    ctx.warn(`not valid YAML (${firstError.message.split("\n")[0]}); indexed as plain text`);
    ctx.sink.push(decoded.text);
    return;
  }
  ctx.deadline.check();
  let steps = 0;
  for (const doc of list) {
    const stack: Array<[unknown, string | null]> = [[doc.contents, null]];
    while (stack.length > 0) {
      const [node, key] = stack.pop() as [unknown, string | null];
      if ((++steps & 0xffff) === 0) ctx.deadline.check();
      if (node === null || node === undefined) continue;
      if (isAlias(node)) {
        // an alias to a scalar is that scalar; an alias to a collection is skipped (never expanded)
        const target = node.resolve(doc);
        if (isScalar(target)) {
          const text = scalarText(target.value);
          if (text !== null) writeLeaf(ctx.sink, key, text);
        }
        continue;
      }
      if (isMap(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          const pair = node.items[i];
          if (!isPair(pair)) continue;
          const k = isScalar(pair.key) ? scalarText(pair.key.value) : null;
          stack.push([pair.value, k]);
        }
      } else if (isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], key]);
      } else if (isScalar(node)) {
        const text = scalarText(node.value);
        if (text !== null) writeLeaf(ctx.sink, key, text);
      }
    }
  }
}
