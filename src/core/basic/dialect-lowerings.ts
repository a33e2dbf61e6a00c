/**
 * Lowerings that need more than a template (keyword-forms.ts references them from its table): the
 * arguments are rearranged into what the runtime's syntax takes.
 *   FIND t WHERE a = x AND b = y        → FIND t, "a=" + x + ",b=" + y     (the filter text FIND parses)
 *   SAVE t, a, b                        → INSERT t, #{ a: a, b: b }        (columns named after the variables)
 *   UPDATE t SET a = x WHERE id = k     → UPDATE t, "id=" + k, #{ a: x }
 *   APPEND list, item                   → list += [item]
 *   HEAR x AS "a", "b"                  → HEAR x AS ["a", "b"]
 */
import type { Span } from "./diagnostics.js";
import type { Expr, MapEntry } from "./syntax-tree.js";

export type Prepared = { template: string; values: Expr[] } | { error: string; span: Span };

function str(value: string, span: Span): Expr {
  return { kind: "string", raw: JSON.stringify(value), value, span };
}

function concat(left: Expr, right: Expr): Expr {
  return { kind: "binary", op: "add", left, right, span: left.span };
}

/** `"a=" + x` pieces joined, folding adjacent literal text. */
function joinPieces(pieces: Array<string | Expr>, span: Span): Expr {
  let out: Expr | null = null;
  let text = "";
  const flush = () => {
    if (text === "") return;
    out = out === null ? str(text, span) : concat(out, str(text, span));
    text = "";
  };
  for (const p of pieces) {
    if (typeof p === "string") text += p;
    else if (p.kind === "string") text += p.value;
    else {
      flush();
      // An expression first still makes a text: "" + x.
      out = out === null ? concat(str("", span), p) : concat(out, p);
    }
  }
  flush();
  return out ?? str("", span);
}

function isText(e: Expr): boolean {
  if (e.kind === "string" || e.kind === "template") return true;
  if (e.kind === "paren") return isText(e.inner);
  return (e.kind === "binary" && (e.op === "concat" || e.op === "add") && isText(e.left));
}

/** The column a value is named after: `x` → x, `order.total` → total. */
function columnName(e: Expr): string | null {
  if (e.kind === "identifier") return e.name;
  if (e.kind === "member") return e.name;
  return null;
}

const FILTER_HELP = 'the runtime\'s FIND and UPDATE take a filter text "column=value[,column=value]"; write the condition as column = value [AND column = value], or as a text';

/** A WHERE condition → the pieces of the filter text the runtime parses (`"a="`, x, `",b="`, y). */
function filterPieces(cond: Expr): Array<string | Expr> | { error: string; span: Span } {
  if (isText(cond)) return [cond];
  const pieces: Array<string | Expr> = [];
  const stack: Expr[] = [cond];
  const terms: Expr[] = [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === "binary" && e.op === "and") stack.push(e.right, e.left);
    else if (e.kind === "paren") stack.push(e.inner);
    else terms.push(e);
  }
  for (const term of terms) {
    const column = term.kind === "binary" && term.op === "eq" ? columnName(term.left) ?? (term.left.kind === "string" ? term.left.value : null) : null;
    if (term.kind !== "binary" || column === null) return { error: `WHERE: ${FILTER_HELP}`, span: term.span };
    pieces.push(`${pieces.length === 0 ? "" : ","}${column}=`, term.right);
  }
  return pieces;
}

export function findWhere(values: Expr[]): Prepared {
  const [table, ...rest] = values;
  const pieces = filterPieces(rest[rest.length - 1]!);
  if ("error" in pieces) return pieces;
  const filter = rest.length === 1 ? pieces : [rest[0]!, ",", ...pieces];
  return { template: "FIND $1, $2", values: [table!, joinPieces(filter, rest[0]!.span)] };
}

export function saveColumns(values: Expr[], span: Span): Prepared {
  const [table, ...columns] = values;
  if (columns.length === 1) return { template: "INSERT $1, $2", values: [table!, columns[0]!] };
  const entries: MapEntry[] = [];
  const seen = new Set<string>();
  for (const value of columns) {
    const name = columnName(value);
    if (name === null) {
      return {
        error: "SAVE: the runtime has no SAVE of columns; it is written as INSERT table, #{ column: value }, and this value has no name to be its column (use a variable named like the column, or pass one map)",
        span: value.span,
      };
    }
    if (seen.has(name.toLowerCase())) return { error: `SAVE: the column ${name} is given twice`, span: value.span };
    seen.add(name.toLowerCase());
    entries.push({ key: name, value });
  }
  return { template: "INSERT $1, $2", values: [table!, { kind: "map", entries, span }] };
}

export function updateSet(values: Expr[], span: Span): Prepared {
  const [table, data, cond] = values;
  let filter: Expr = str("", span);
  if (cond !== undefined) {
    const pieces = filterPieces(cond);
    if ("error" in pieces) return pieces;
    filter = joinPieces(pieces, cond.span);
  }
  return { template: "UPDATE $1, $2, $3", values: [table!, filter, data!] };
}

export function appendItem(values: Expr[]): Prepared {
  const [target, item] = values;
  let base = target!;
  while (base.kind === "member" || base.kind === "index") base = base.object;
  if (base.kind !== "identifier") return { error: "APPEND: the first argument must be a variable (the list to add to)", span: target!.span };
  return { template: "$1 += [$2]", values: [target!, item!] };
}

export function hearMenu(values: Expr[], span: Span): Prepared {
  const [variable, ...options] = values;
  return { template: "HEAR $1 AS $2", values: [variable!, { kind: "array", items: options, span }] };
}
