/**
 * What one statement line is, structurally. The statement parser turns each line into a LineItem; the
 * block assembler (parse-blocks.ts) stacks the openers, routes the middles (ELSE, CASE) and pops on the
 * closers. Keeping block structure out of the recursive descent makes it iterative (no stack growth with
 * nesting) and lets a missing or stray END be reported and repaired locally.
 */
import type { Token } from "./tokens.js";
import type { CaseTest, Expr, Stmt } from "./syntax-tree.js";

export type FrameKind = "if" | "select" | "for-each" | "for-to" | "while" | "do" | "with" | "sub" | "function" | "table";

export type OpenBlock =
  | { kind: "if"; condition: Expr }
  | { kind: "select"; subject: Expr }
  | { kind: "for-each"; variable: string; iterable: Expr }
  | { kind: "for-to"; variable: string; from: Expr; to: Expr; step: Expr | null }
  | { kind: "while"; condition: Expr }
  | { kind: "do"; test: { until: boolean; condition: Expr } | null }
  | { kind: "with"; target: string }
  | { kind: "sub"; isFunction: boolean; name: string; params: string[] }
  | { kind: "table"; name: string; connection: string | null };

export type CloseKind = "end-if" | "end-select" | "next" | "wend" | "loop" | "end-with" | "end-sub" | "end-function" | "end-table";

export type LineItem =
  | { kind: "stmt"; stmt: Stmt }
  | { kind: "open"; block: OpenBlock; token: Token }
  | { kind: "else-if"; condition: Expr; token: Token }
  | { kind: "else"; token: Token; inline: Stmt | null }
  | { kind: "case"; tests: CaseTest[]; token: Token }
  | { kind: "case-else"; token: Token }
  | { kind: "close"; closes: CloseKind; token: Token; name: string | null; test: { until: boolean; condition: Expr } | null }
  | { kind: "none" };

/** The frame kinds each closer can close. */
export const CLOSES: Record<CloseKind, readonly FrameKind[]> = {
  "end-if": ["if"],
  "end-select": ["select"],
  next: ["for-each", "for-to"],
  wend: ["while"],
  loop: ["do"],
  "end-with": ["with"],
  "end-sub": ["sub"],
  "end-function": ["function"],
  "end-table": ["table"],
};

/** How a block is named in messages ("IF without END IF"). */
export const BLOCK_NAMES: Record<FrameKind, { open: string; close: string }> = {
  if: { open: "IF", close: "END IF" },
  select: { open: "SELECT", close: "END SELECT" },
  "for-each": { open: "FOR EACH", close: "NEXT" },
  "for-to": { open: "FOR", close: "NEXT" },
  while: { open: "WHILE", close: "WEND" },
  do: { open: "DO", close: "LOOP" },
  with: { open: "WITH", close: "END WITH" },
  sub: { open: "SUB", close: "END SUB" },
  function: { open: "FUNCTION", close: "END FUNCTION" },
  table: { open: "TABLE", close: "END TABLE" },
};

export const CLOSER_NAMES: Record<CloseKind, string> = {
  "end-if": "END IF",
  "end-select": "END SELECT",
  next: "NEXT",
  wend: "WEND",
  loop: "LOOP",
  "end-with": "END WITH",
  "end-sub": "END SUB",
  "end-function": "END FUNCTION",
  "end-table": "END TABLE",
};
