/** The parser's entry point: source text → syntax tree, with every syntax error as a diagnostic. */
import { DiagnosticSink } from "./diagnostics.js";
import { lex } from "./lexer.js";
import { parseBlocks } from "./parse-blocks.js";
import type { ParseContext } from "./parse-expressions.js";
import type { Program } from "./syntax-tree.js";
import { TokenCursor } from "./token-cursor.js";
import type { Token } from "./tokens.js";

export interface ParsedScript {
  program: Program;
  /** Number of lines of the source (diagnostics point at 1 … lineCount, or lineCount + 1 for the end). */
  lineCount: number;
}

export function parseBasic(source: string, sink: DiagnosticSink = new DiagnosticSink()): ParsedScript {
  const { tokens, lineCount } = lex(source, sink);
  const context: ParseContext = { source, sink, procedures: declaredProcedures(tokens) };
  const body = parseBlocks(new TokenCursor(tokens), context);
  return { program: { body }, lineCount };
}

/**
 * SUB and FUNCTION names, found before parsing so that calls may precede the declaration and so that
 * `Name args` (a call without CALL) and differently-cased calls resolve to the declared name.
 */
function declaredProcedures(tokens: readonly Token[]): Map<string, string> {
  const names = new Map<string, string>();
  let statementStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "newline") {
      statementStart = true;
      continue;
    }
    if (statementStart && (t.upper === "SUB" || t.upper === "FUNCTION")) {
      const name = tokens[i + 1];
      if (name?.kind === "identifier" && !names.has(name.upper)) names.set(name.upper, name.text);
    }
    statementStart = false;
  }
  return names;
}
