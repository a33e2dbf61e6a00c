/**
 * The message for a statement the runtime has no form for: it names the construct and says what the
 * runtime does offer, e.g. "SEND FILE TO: the botserver runtime registers no SEND syntax and no
 * SEND_FILE_TO function; for SEND it offers SEND_SMS $expr, …".
 */
import { RUNTIME } from "./runtime-profile.js";
import type { Token } from "./tokens.js";

const show = (pattern: string) => `\`${pattern.replace(/\$(\w+)\$/g, "$1")}\``;

export function noRuntimeFormMessage(words: readonly string[], hint: string | null): string {
  const phrase = words.join(" ");
  const first = words[0] ?? "";
  const syntax = RUNTIME.syntax(first);
  const what = syntax === undefined ? `no ${first} syntax` : `no ${phrase} syntax (its only ${first} is ${show(syntax.pattern)})`;
  const fn = words.join("_");
  // `CLEAR KB "x"`: CLEAR_KB exists, with another number of arguments.
  const fnPart = RUNTIME.knowsFunction(fn) ? `its ${RUNTIME.resolveFunction(fn, -1).name} takes ${RUNTIME.describeArity(RUNTIME.resolveFunction(fn, -1).name)} argument(s)` : `no ${fn} function`;
  let message = `${phrase}: the botserver runtime registers ${what} and ${fnPart}`;
  if (hint !== null) return `${message}; ${hint}`;
  const offers = RUNTIME.offersFor(first).filter((o) => syntax === undefined || o !== syntax.pattern.replace(/\$(\w+)\$/g, "$1"));
  if (offers.length > 0) message += `; for ${first} it offers ${offers.join(", ")}`;
  return message;
}

/**
 * The keywords a statement starts with, as written in upper case (`ON FORM SUBMIT "f"` → ON FORM SUBMIT),
 * at most four: the construct to name when no form of the runtime has that phrase.
 */
export function upperCaseWords(tokens: readonly Token[], start: number): Token[] {
  const out: Token[] = [];
  for (let i = start; i < tokens.length && out.length < 4; i++) {
    const t = tokens[i]!;
    if (t.kind !== "identifier" || t.text !== t.upper || !/^[A-Z]/.test(t.text)) break;
    out.push(t);
  }
  return out;
}
