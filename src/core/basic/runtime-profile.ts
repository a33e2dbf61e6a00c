/**
 * What the botserver's Rhai engine accepts, read from the generated profile
 * (runtime-profile/botserver-runtime.ts): the ONE custom syntax in force per leading keyword (Rhai keeps
 * the last registration per first token) and the callable functions with their registered arities.
 *
 * Everything the emitter writes is checked against this: a custom syntax must be the one in force for its
 * keyword, a function call must name a registered function with a registered number of arguments, and an
 * identifier must not be a custom keyword (Rhai would start parsing that syntax instead).
 */
import { BOTSERVER_RUNTIME } from "./runtime-profile/botserver-runtime.js";
import type { RuntimeProfileData } from "./runtime-profile/profile-data.js";

export type SyntaxSlot = "expr" | "ident" | "string" | "int" | "block";

export type SyntaxToken = { kind: "word"; text: string } | { kind: "punct"; text: string } | { kind: "slot"; slot: SyntaxSlot };

export interface SyntaxInForce {
  keyword: string;
  /** As the runtime writes it: `HEAR $ident$ AS $expr$`. */
  pattern: string;
  tokens: SyntaxToken[];
}

export interface Arity {
  fixed: ReadonlySet<number>;
  /** `N+`: any count from N up; null when there is no such registration. */
  atLeast: number | null;
}

export type CallStatus = "ok" | "unknown" | "arity";

const SLOTS: Record<string, SyntaxSlot> = { $expr$: "expr", $ident$: "ident", $string$: "string", $int$: "int", $block$: "block" };

export class RuntimeProfile {
  readonly source: string;
  /** Custom syntax registered but not in force (replaced by a later one with the same first word). */
  readonly replaced: readonly string[];
  private readonly syntaxes = new Map<string, SyntaxInForce>();
  private readonly functions = new Map<string, Arity>();
  /** Upper-case name → the registered spellings (FORMAT, format). */
  private readonly byUpper = new Map<string, string[]>();

  constructor(data: RuntimeProfileData) {
    this.source = data.source;
    this.replaced = data.replaced;
    for (const [keyword, pattern] of Object.entries(data.syntax)) {
      const tokens: SyntaxToken[] = pattern.split(" ").map((w) => {
        const slot = SLOTS[w];
        if (slot !== undefined) return { kind: "slot", slot };
        return /^[A-Za-z_]\w*$/.test(w) ? { kind: "word", text: w } : { kind: "punct", text: w };
      });
      this.syntaxes.set(keyword, { keyword, pattern, tokens });
    }
    for (const [name, spec] of Object.entries(data.functions)) {
      const fixed = new Set<number>();
      let atLeast: number | null = null;
      for (const part of spec.split(",")) {
        if (part.endsWith("+")) atLeast = Math.min(atLeast ?? Infinity, Number(part.slice(0, -1)));
        else fixed.add(Number(part));
      }
      this.functions.set(name, { fixed, atLeast });
      const upper = name.toUpperCase();
      const list = this.byUpper.get(upper) ?? [];
      list.push(name);
      this.byUpper.set(upper, list);
    }
  }

  /** The custom syntax in force for a leading keyword (exact case, as Rhai matches it). */
  syntax(keyword: string): SyntaxInForce | undefined {
    return this.syntaxes.get(keyword);
  }

  /** A word Rhai reads as the start of a custom syntax: it cannot be a variable, property or call name. */
  isCustomKeyword(word: string): boolean {
    return this.syntaxes.has(word);
  }

  keywords(): IterableIterator<SyntaxInForce> {
    return this.syntaxes.values();
  }

  arity(name: string): Arity | undefined {
    return this.functions.get(name);
  }

  /** Some function is registered under this name in some case. */
  knowsFunction(written: string): boolean {
    return this.byUpper.has(written.toUpperCase());
  }

  callStatus(name: string, argumentCount: number): CallStatus {
    const arity = this.functions.get(name);
    if (arity === undefined) return "unknown";
    return accepts(arity, argumentCount) ? "ok" : "arity";
  }

  /**
   * The registered spelling a BASIC call `written(…)` means. BASIC names are case-insensitive, Rhai's are
   * not: `ucase(x)` is the runtime's UCASE. A spelling that is also a custom keyword (FIRST, JOIN …) is
   * avoided when another spelling exists, since Rhai would parse `JOIN(a, b)` as the JOIN syntax.
   * Returns the written name itself when nothing is registered under it in any case.
   */
  resolveFunction(written: string, argumentCount: number): { name: string; status: CallStatus } {
    const spellings = this.byUpper.get(written.toUpperCase());
    if (spellings === undefined) return { name: written, status: "unknown" };
    const usable = (n: string) => !this.isCustomKeyword(n);
    const ranked = [...spellings].sort((a, b) => rank(a, written) - rank(b, written));
    const exact = ranked.find((n) => usable(n) && accepts(this.functions.get(n)!, argumentCount));
    if (exact !== undefined) return { name: exact, status: "ok" };
    const any = ranked.find(usable) ?? ranked[0]!;
    return { name: any, status: "arity" };
  }

  /**
   * `KW(a, b)` written where KW is a custom keyword: Rhai parses the syntax, not a call. When the syntax
   * in force is `KW $expr$ [, $expr$ …]` or `KW ( $expr$ )` with that many values, this is the text that
   * says the same (`(FIND a, b)`, `LAST(x)`); otherwise null.
   */
  syntaxCall(keyword: string, args: readonly string[]): string | null {
    const tokens = this.syntaxes.get(keyword)?.tokens;
    if (tokens === undefined) return null;
    const slot = (t: SyntaxToken | undefined) => t?.kind === "slot" && t.slot === "expr";
    const punct = (t: SyntaxToken | undefined, p: string) => t?.kind === "punct" && t.text === p;
    if (tokens.length === 4 && punct(tokens[1], "(") && slot(tokens[2]) && punct(tokens[3], ")")) {
      return args.length === 1 ? `${keyword}(${args[0]})` : null;
    }
    const values = tokens.length / 2;
    if (!Number.isInteger(values) || values !== args.length) return null;
    for (let i = 1; i < tokens.length; i += 2) {
      if (!slot(tokens[i]) || (i + 1 < tokens.length && !punct(tokens[i + 1], ","))) return null;
    }
    return `(${keyword} ${args.join(", ")})`;
  }

  /** `2`, `1 or 2`, `1 or more` — for messages. */
  describeArity(name: string): string {
    const arity = this.functions.get(name);
    if (arity === undefined) return "no";
    const parts = [...arity.fixed].sort((a, b) => a - b).map(String);
    if (arity.atLeast !== null) parts.push(`${arity.atLeast} or more`);
    return parts.length <= 1 ? (parts[0] ?? "no") : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
  }

  /**
   * What the runtime offers for statements that start with `word`: its syntax in force and the callable
   * functions named after it (`SEND` → `SEND_SMS …`, `SEND_TEMPLATE(…)`, `send_mail(…)`), for messages.
   */
  offersFor(word: string): string[] {
    const upper = word.toUpperCase();
    const out: string[] = [];
    for (const s of this.syntaxes.values()) {
      const first = s.keyword.toUpperCase();
      if (first === upper || first.startsWith(`${upper}_`)) out.push(s.pattern.replace(/\$(\w+)\$/g, "$1"));
    }
    for (const [name] of this.functions) {
      if (!name.toUpperCase().startsWith(`${upper}_`) || this.isCustomKeyword(name)) continue;
      const arity = this.describeArity(name);
      out.push(`${name}(${arity} argument${arity === "1" ? "" : "s"})`);
    }
    return out.sort().slice(0, 8);
  }
}

function accepts(arity: Arity, n: number): boolean {
  return arity.fixed.has(n) || (arity.atLeast !== null && n >= arity.atLeast);
}

/** Exact spelling first, then upper case, then lower case, then any other. */
function rank(candidate: string, written: string): number {
  if (candidate === written) return 0;
  if (candidate === candidate.toUpperCase()) return 1;
  if (candidate === candidate.toLowerCase()) return 2;
  return 3;
}

/** The profile of the botserver build this compiler targets. */
export const RUNTIME = new RuntimeProfile(BOTSERVER_RUNTIME);
