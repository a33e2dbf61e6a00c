/**
 * The message for a statement the runtime has no form for: it names the construct and says what the
 * runtime does offer, e.g. "SEND FILE TO: the botserver runtime registers no SEND syntax and no
 * SEND_FILE_TO function; for SEND it offers SEND_SMS $expr, …".
 */
import { RUNTIME } from "./runtime-profile.js";

const show = (pattern: string) => `\`${pattern.replace(/\$(\w+)\$/g, "$1")}\``;

export function noRuntimeFormMessage(words: readonly string[], hint: string | null): string {
  const phrase = words.join(" ");
  const first = words[0] ?? "";
  const syntax = RUNTIME.syntax(first);
  const what = syntax === undefined ? `no ${first} syntax` : `no ${phrase} syntax (its only ${first} is ${show(syntax.pattern)})`;
  let message = `${phrase}: the botserver runtime registers ${what} and no ${words.join("_")} function`;
  if (hint !== null) return `${message}; ${hint}`;
  const offers = RUNTIME.offersFor(first).filter((o) => syntax === undefined || o !== syntax.pattern.replace(/\$(\w+)\$/g, "$1"));
  if (offers.length > 0) message += `; for ${first} it offers ${offers.join(", ")}`;
  return message;
}
