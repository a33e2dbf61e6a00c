/**
 * Field lines inside `TABLE name [ON connection]` … `END TABLE` (tables.bas; §3.8 "Data": processed at
 * compile time into `CREATE TABLE IF NOT EXISTS`). A field is
 *   name type[(length[, scale])] [further words…]      e.g.  Email string(255)   Price number(10,2) KEY
 * The compiler reports the definitions; creating the tables is the caller's job.
 */
import { abort, spanOf } from "./diagnostics.js";
import type { TableField } from "./syntax-tree.js";
import type { TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct } from "./tokens.js";

export function parseTableField(c: TokenCursor): TableField {
  const name = c.peek();
  if (name.kind !== "identifier") abort("invalid-table-field", `Expected a field name, found ${describeToken(name)}`, spanOf(name));
  c.pos++;
  const type = c.peek();
  if (type.kind !== "identifier") abort("invalid-table-field", `Expected the type of field ${name.text}, found ${describeToken(type)}`, spanOf(type));
  c.pos++;
  let length: number | null = null;
  let scale: number | null = null;
  if (isPunct(c.peek(), "(")) {
    c.pos++;
    length = sizeNumber(c);
    if (c.acceptPunct(",")) scale = sizeNumber(c);
    c.expectPunct(")", "after the field size");
  }
  const modifiers: string[] = [];
  while (!endsStatement(c.peek())) {
    const t = c.next();
    if (t.kind !== "identifier" && t.kind !== "number" && t.kind !== "string") {
      abort("invalid-table-field", `Unexpected ${describeToken(t)} in the definition of field ${name.text}`, spanOf(t));
    }
    modifiers.push(t.kind === "identifier" ? t.upper : t.text);
  }
  return { name: name.text, type: type.text.toLowerCase(), length, scale, modifiers, line: name.line };
}

function sizeNumber(c: TokenCursor): number {
  const t = c.peek();
  if (t.kind !== "number" || !/^[0-9]+$/.test(t.text)) abort("invalid-table-field", `Expected a whole number, found ${describeToken(t)}`, spanOf(t));
  c.pos++;
  return Number(t.text);
}
