/**
 * Well-formed BASIC programs of the whole dialect, from a seed: blocks of every kind nested a few levels,
 * the statements people write (TALK, HEAR … WITH, SET BOT MEMORY, SEND MAIL, SAVE, FIND … WHERE,
 * UPDATE … SET, APPEND …), every keyword form the compiler knows with a runtime equivalent, expressions
 * with the runtime's functions, strings with quotes and backslashes, maps, SUBs and FUNCTIONs.
 * Every program is meant to compile; the tests check that each does, and that each .ast loads in the
 * runtime's engine calling only what exists.
 */
import { KEYWORD_FORMS, type PatternElement } from "../../../src/core/basic/keyword-forms.js";
import { int, pick, prng, type Rng } from "./fuzz-inputs.js";

const NAMES = ["total", "name", "email", "items", "order", "answer", "count", "price", "customer", "status"];
const STRINGS = ['"Hello"', '"It\'s ready"', '"say ""hi"""', '"C:\\data\\x"', '"line\\nbreak"', '""', '"café ☕"', '"a, b"', "'single'"];
const TYPES = ["EMAIL", "INTEGER", "NAME", "DATE", "BOOLEAN", "MONEY", "PHONE"];

function leaf(r: Rng): string {
  switch (int(r, 6)) {
    case 0:
      return pick(r, NAMES);
    case 1:
      return String(int(r, 1000));
    case 2:
      return pick(r, STRINGS);
    case 3:
      return `${pick(r, NAMES)}.${pick(r, ["id", "name", "qty", "LIST", "type"])}`;
    case 4:
      return `${pick(r, NAMES)}[${int(r, 3)}]`;
    default:
      return pick(r, ["TRUE", "FALSE", "NULL", "NOW()", "TODAY()"]);
  }
}

function expr(r: Rng, depth: number): string {
  if (depth <= 0 || r() < 0.3) return leaf(r);
  const e = () => expr(r, depth - 1);
  switch (int(r, 12)) {
    case 0:
      return `${e()} ${pick(r, ["+", "-", "*", "/", "&", "MOD", "^"])} ${e()}`;
    case 1:
      return `(${e()})`;
    case 2:
      return `${pick(r, ["UCASE", "LCASE", "TRIM", "LEN", "VAL", "STR", "ISNULL", "ISEMPTY", "ubound"])}(${e()})`;
    case 3:
      return `${pick(r, ["FORMAT", "LEFT", "RIGHT", "ROUND", "INSTR", "MAX", "MIN", "SPLIT"])}(${e()}, ${e()})`;
    case 4:
      return `REPLACE(${e()}, ${e()}, ${e()})`;
    case 5:
      return `IIF(${cond(r, depth - 1)}, ${e()}, ${e()})`;
    case 6:
      return `[${e()}, ${e()}]`;
    case 7:
      return r() < 0.5 ? `#{ a: ${e()}, "b c": ${e()} }` : `{ "k": ${e()}, n: ${e()} }`;
    case 8:
      return `-${leaf(r)}`;
    case 9:
      return `\`Hi \${${e()}}!\``;
    case 10:
      return `${pick(r, NAMES)}.${pick(r, ["len()", "to_upper()", "contains(\"x\")"])}`;
    default:
      return `${e()} & " " & ${e()}`;
  }
}

function cond(r: Rng, depth: number): string {
  const e = () => expr(r, Math.max(0, depth - 1));
  switch (int(r, 7)) {
    case 0:
      return `${e()} ${pick(r, ["=", "<>", "<", ">", "<=", ">="])} ${e()}`;
    case 1:
      return `${pick(r, NAMES)} IS ${pick(r, ["NULL", "NOT NULL", "EMPTY", "NOT EMPTY"])}`;
    case 2:
      return `NOT (${cond(r, depth - 1)})`;
    case 3:
      return `${cond(r, depth - 1)} ${pick(r, ["AND", "OR"])} ${cond(r, depth - 1)}`;
    case 4:
      return pick(r, ["TRUE", "1", "0", "ok"]);
    case 5:
      return `${e()} IN [1, 2, 3]`;
    default:
      return `${pick(r, NAMES)} = ${pick(r, STRINGS)}`;
  }
}

/**
 * A sample statement for a keyword form: its pattern with names and values filled in. Values are plain
 * names where the form rearranges them (`APPEND list, …` needs a variable) or two values sit side by side
 * (`GET TIPS a b`: BASIC would read `a -b` as one subtraction).
 */
function formSample(r: Rng, elements: readonly PatternElement[], plain = false): string {
  const out: string[] = [];
  let afterWhere = false;
  let previousValue = false;
  for (const el of elements) {
    const isValue = el.kind === "expr" || el.kind === "exprs" || el.kind === "ident";
    if (isValue && previousValue) plain = true;
    previousValue = isValue;
    switch (el.kind) {
      case "token": {
        const option = pick(r, el.options);
        out.push(option.parts !== null && r() < 0.5 ? option.parts.join(" ") : option.text);
        afterWhere = option.text === "WHERE";
        // After a lower-case word (`… as '…'`) a quote starts a comment, as BASIC's ' does.
        if (option.text !== option.text.toUpperCase()) plain = true;
        continue;
      }
      case "expr":
        out.push(afterWhere ? `id = ${leaf(r)}` : plain ? pick(r, NAMES) : expr(r, 2));
        break;
      case "exprs": {
        const first = int(r, NAMES.length);
        out.push(NAMES[first]!, ",", NAMES[(first + 1 + int(r, NAMES.length - 1)) % NAMES.length]!);
        break;
      }
      case "ident":
        out.push(pick(r, NAMES));
        break;
      case "string":
        out.push('"event"');
        break;
      case "int":
        out.push(String(1 + int(r, 60)));
        break;
      case "assignments":
        out.push(`${pick(r, NAMES)} = ${expr(r, 1)}`);
        break;
      case "rest":
        break;
      case "optional":
        if (r() < 0.5) out.push(formSample(r, el.elements, plain));
        break;
    }
    afterWhere = false;
  }
  return out.join(" ").replace(/ ,/g, ",");
}

const FORMS = KEYWORD_FORMS.filter((f) => f.lowering.kind !== "none");

function simple(r: Rng, names: readonly string[]): string {
  const e = () => expr(r, 3);
  const v = () => pick(r, names);
  switch (int(r, 24)) {
    case 0:
      return `${v()} = ${e()}`;
    case 1:
      return `TALK ${e()}`;
    case 2:
      return `HEAR ${v()} AS ${pick(r, TYPES)}${r() < 0.5 ? ` WITH ${e()}` : ""}`;
    case 3:
      return `HEAR ${v()}${r() < 0.5 ? ` WITH ${e()}` : ""}`;
    case 4:
      return `SET BOT MEMORY ${pick(r, STRINGS)}, ${e()}`;
    case 5:
      return `${v()} = GET BOT MEMORY ${pick(r, STRINGS)}`;
    case 6:
      return `SEND MAIL ${Array.from({ length: 2 + int(r, 3) }, () => expr(r, 1)).join(", ")}`;
    case 7:
      return `SAVE "table", ${pick(r, ["name", "total", "order.id"])}, ${pick(r, ["email", "price", "status"])}`;
    case 8:
      return `${v()} = FIND "orders" WHERE ${pick(r, ["id", "customer"])} = ${e()}`;
    case 9:
      return `UPDATE "orders" SET status = ${e()} WHERE id = ${leaf(r)}`;
    case 10:
      return `APPEND ${v()}, ${e()}`;
    case 11:
      return `SET ${v()} = ${e()}`;
    case 12:
      return `${pick(r, ["USE KB", "USE TOOL", "ADD TOOL"])} ${pick(r, STRINGS)}`;
    case 13:
      return `ADD SUGGESTION ${pick(r, STRINGS)} AS ${pick(r, STRINGS)}`;
    case 14:
      return `CREATE TASK ${Array.from({ length: 1 + int(r, 4) }, () => expr(r, 1)).join(", ")}`;
    case 15:
      return `${v()} = LLM ${e()}`;
    case 16:
      return `LOG_INFO ${e()}`;
    case 17:
      return `WAIT ${int(r, 5)}`;
    case 18:
      return `CALL other`;
    case 19:
      return pick(r, ["ON ERROR RESUME NEXT", "ON ERROR GOTO 0"]);
    case 20:
      return `${v()} = ${pick(r, ["THINK KB", "TALK", "PRINT", "LLM", "DETECT"])} ${e()}`;
    default: {
      const form = pick(r, FORMS);
      return formSample(r, form.elements, form.lowering.kind === "render");
    }
  }
}

function block(r: Rng, depth: number, names: readonly string[], loopDepth: number): string[] {
  const lines: string[] = [];
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const inner = () => block(r, depth - 1, names, loopDepth + 1);
    const innerNoLoop = () => block(r, depth - 1, names, loopDepth);
    if (depth <= 0 || r() < 0.45) {
      lines.push(simple(r, names));
      continue;
    }
    switch (int(r, 11)) {
      case 0:
        lines.push(`IF ${cond(r, 2)} THEN`, ...innerNoLoop(), ...(r() < 0.5 ? [`ELSEIF ${cond(r, 2)} THEN`, ...innerNoLoop()] : []), "ELSE", ...innerNoLoop(), "END IF");
        break;
      case 1:
        lines.push(`IF ${cond(r, 2)} THEN ${simple(r, names)}${r() < 0.5 ? ` ELSE ${simple(r, names)}` : ""}`);
        break;
      case 2: {
        const v = `item${depth}`;
        const body = block(r, depth - 1, names, loopDepth + 1);
        // At the loop's own level (not inside a nested block): the EXIT leaves this FOR EACH.
        if (r() < 0.4) body.push(`IF ${cond(r, 1)} THEN ${pick(r, ["EXIT FOR", "EXIT"])}`);
        lines.push(`FOR EACH ${v} IN ${pick(r, ["items", "order.lines", 'FIND "t", "a=1"', "[1, 2, 3]"])}${r() < 0.3 ? " DO" : ""}`, ...body, pick(r, [`NEXT ${v}`, "NEXT", "END FOR"]));
        break;
      }
      case 3:
        lines.push(`FOR i${depth} = ${int(r, 3)} TO ${expr(r, 1)}${r() < 0.5 ? ` STEP ${pick(r, ["2", "-1", "n"])}` : ""}`, ...inner(), "NEXT");
        break;
      case 4:
        lines.push(`WHILE ${cond(r, 2)}`, ...inner(), ...(r() < 0.5 ? ["IF done THEN EXIT WHILE"] : []), pick(r, ["WEND", "END WHILE"]));
        break;
      case 5: {
        const head = pick(r, ["DO", `DO WHILE ${cond(r, 1)}`, `DO UNTIL ${cond(r, 1)}`]);
        const tail = head === "DO" ? pick(r, ["LOOP", `LOOP UNTIL ${cond(r, 1)}`, `LOOP WHILE ${cond(r, 1)}`]) : "LOOP";
        lines.push(head, ...inner(), ...(r() < 0.5 ? ["IF done THEN EXIT DO"] : []), tail);
        break;
      }
      case 6: {
        lines.push(`SELECT CASE ${pick(r, names)}`);
        for (let c = 1 + int(r, 5); c > 0; c--) {
          lines.push(pick(r, [`CASE ${int(r, 9)}`, `CASE ${pick(r, STRINGS)}, ${pick(r, STRINGS)}`, `CASE ${int(r, 3)} TO ${5 + int(r, 3)}`, `CASE IS > ${int(r, 9)}`]), ...innerNoLoop());
        }
        lines.push("CASE ELSE", ...innerNoLoop(), "END SELECT");
        break;
      }
      case 7:
        lines.push(`WITH ${pick(r, names)}`, `  id = ${expr(r, 1)}`, `  .label = ${expr(r, 1)}`, "END WITH");
        break;
      case 8:
        lines.push("BEGIN TALK", "Hello ${name}, it's ${count + 1} o'clock", "", "Bye!", "END TALK");
        break;
      case 9:
        lines.push(`BEGIN MAIL ${pick(r, ["email", '"ops@example.com"'])}`, "Subject: Order ${order.id}", "Dear ${name},", "", "Thanks.", "END MAIL");
        break;
      default:
        lines.push(`${pick(r, ["Notify", "Twice"])} ${expr(r, 1)}`);
        break;
    }
  }
  return lines;
}

/** `count` well-formed programs, deterministic for a seed. */
export function* validScripts(seed: number, count: number): Generator<string> {
  const r = prng(seed);
  for (let n = 0; n < count; n++) {
    const lines: string[] = [];
    if (r() < 0.5) {
      lines.push(`PARAM name AS STRING LIKE "Ana" DESCRIPTION "Customer name"`);
      lines.push(`PARAM qty AS INTEGER LIKE ${1 + int(r, 9)} DESCRIPTION "How many"`);
      if (r() < 0.5) lines.push(`PARAM size AS STRING ENUM ["S", "M"] DESCRIPTION "Size"`);
      lines.push(`DESCRIPTION "A generated tool"`);
    }
    if (r() < 0.1) lines.push(`SET SCHEDULE "every ${1 + int(r, 50)} minutes"`);
    lines.push(...block(r, 1 + int(r, 4), NAMES, 0));
    lines.push("SUB Notify(message)", `  TALK message`, "END SUB");
    lines.push("FUNCTION Twice(n)", "  Twice = n * 2", "END FUNCTION");
    yield `${lines.join("\n")}\n`;
  }
}

/**
 * Programs at the edge of the runtime parser's depth limits: long operator chains, nested brackets,
 * calls, arrays, blocks of every kind and long ELSEIF / CASE chains, some inside a SUB (whose budget is
 * smaller). The compiler must refuse those the engine would reject and write the others.
 */
export function* deepScripts(seed: number, count: number): Generator<string> {
  const r = prng(seed);
  const deepExpr = (budget: number): string => {
    if (budget <= 1 || r() < 0.2) return pick(r, ["x", "1", '"s"', "y.z"]);
    switch (int(r, 7)) {
      case 0:
        return `(${deepExpr(budget - 2)})`;
      case 1: {
        const n = 1 + int(r, budget);
        return Array.from({ length: n }, () => deepExpr(Math.min(3, budget - n))).join(pick(r, [" + ", " & ", " AND ", " * "]));
      }
      case 2:
        return `UCASE(${deepExpr(budget - 2)})`;
      case 3:
        return `[${deepExpr(budget - 3)}, 1]`;
      case 4:
        return `-(${deepExpr(budget - 3)})`;
      case 5:
        return `a.b[${deepExpr(budget - 3)}]`;
      default:
        return `(NOT ${deepExpr(budget - 3)})`;
    }
  };
  const deepBlock = (depth: number, budget: number): string[] => {
    const e = () => deepExpr(int(r, budget));
    if (depth <= 0 || r() < 0.15) return [pick(r, [`x = ${e()}`, `TALK ${e()}`, `y = LLM ${e()}`])];
    const leafOr = (last: boolean) => (last ? deepBlock(depth - 1, budget) : ["x = 1"]);
    switch (int(r, 7)) {
      case 0:
        return [`IF ${e()} = 1 THEN`, ...deepBlock(depth - 1, budget), "END IF"];
      case 1:
        return [`WHILE ${e()} <> 1`, ...deepBlock(depth - 1, budget), "WEND"];
      case 2:
        return [`FOR EACH i${depth} IN ${e()}`, ...deepBlock(depth - 1, budget), `NEXT i${depth}`];
      case 3:
        return [`FOR k${depth} = 1 TO ${e()}`, ...deepBlock(depth - 1, budget), "NEXT"];
      case 4:
        return ["DO", ...deepBlock(depth - 1, budget), `LOOP UNTIL ${e()} = 2`];
      case 5: {
        const n = 1 + int(r, 40);
        return ["SELECT CASE x", ...Array.from({ length: n }, (_, i) => [`CASE ${i}`, ...leafOr(i === n - 1)]).flat(), "END SELECT"];
      }
      default: {
        const n = 1 + int(r, 30);
        return ["IF x = 0 THEN", "x = 1", ...Array.from({ length: n }, (_, i) => [`ELSEIF x = ${i} THEN`, ...leafOr(i === n - 1)]).flat(), "END IF"];
      }
    }
  };
  for (let n = 0; n < count; n++) {
    const inSub = r() < 0.3;
    const body = deepBlock(1 + int(r, inSub ? 12 : 24), 1 + int(r, inSub ? 35 : 70));
    yield `${(inSub ? ["SUB work(x, y, a)", ...body, "END SUB"] : body).join("\n")}\n`;
  }
}
