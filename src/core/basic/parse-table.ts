/**
 * Field lines inside `TABLE name [ON connection]` … `END TABLE` (tables.bas; the botserver processes them at
 * compile time into `CREATE TABLE IF NOT EXISTS`). A field is
 *   name type[(length[, scale])] [further words…]      e.g.  Email string(255)   Price number(10,2) KEY
 * The compiler reports the definitions; creating the tables is the caller's job.
 */
import { abort, spanOf } from "./diagnostics.js";
import type { TableField } from "./syntax-tree.js";
import type { TokenCursor } from "./token-cursor.js";
import { describeToken, endsStatement, isPunct } from "./tokens.js";

function parseTableField(c: TokenCursor): TableField {
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
  // A `,` ends the field (SQL habit: `Id number KEY,` — a trailing comma joins the next line to this one).
  while (!endsStatement(c.peek()) && !isPunct(c.peek(), ",")) {
    const t = c.next();
    if (t.kind !== "identifier" && t.kind !== "number" && t.kind !== "string") {
      abort("invalid-table-field", `Unexpected ${describeToken(t)} in the definition of field ${name.text}`, spanOf(t));
    }
    let modifier = t.kind === "identifier" ? t.upper : t.text;
    // `REFERENCES Customers(Id)`, `DEFAULT now()`: the bracketed part belongs to the word before it.
    if (isPunct(c.peek(), "(") && c.peek().start === t.end) {
      const open = c.next();
      while (!isPunct(c.peek(), ")")) {
        if (endsStatement(c.peek())) abort("invalid-table-field", `'(' is not closed in the definition of field ${name.text}`, spanOf(open));
        c.pos++;
      }
      const close = c.next();
      modifier = `${modifier}${c.tokens.slice(c.tokens.indexOf(open), c.tokens.indexOf(close) + 1).map((x) => x.text).join("")}`;
    }
    modifiers.push(modifier);
  }
  return { name: name.text, type: type.text.toLowerCase(), length, scale, modifiers, line: name.line };
}

/** Field definitions of one line: usually one, several when separated by `,`. */
export function parseTableFields(c: TokenCursor): TableField[] {
  const fields = [parseTableField(c)];
  while (c.acceptPunct(",")) {
    if (endsStatement(c.peek())) break;
    fields.push(parseTableField(c));
  }
  return fields;
}

function sizeNumber(c: TokenCursor): number {
  const t = c.peek();
  if (t.kind !== "number" || !/^[0-9]+$/.test(t.text)) abort("invalid-table-field", `Expected a whole number, found ${describeToken(t)}`, spanOf(t));
  c.pos++;
  return Number(t.text);
}
