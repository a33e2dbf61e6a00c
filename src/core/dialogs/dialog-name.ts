import { BotsyncError } from "../errors.js";
import { isBotName } from "../paths/bot-name.js";

/**
 * Where a `.bas` key's artifacts go and what its tool is called. The botserver keeps only the basename, so
 * `{bot}.gbdialog/a/start.bas` and `{bot}.gbdialog/start.bas` overwrite each other. Here:
 *
 *   {bot}.gbdialog/start.bas         → tool `start`          → start.ast, start.mcp.json, start.tool.json
 *   {bot}.gbdialog/sales/quote.bas   → tool `sales__quote`   → sales__quote.ast, …
 *   {bot}.gbdialog/a/b/c.bas         → tool `a__b__c`
 *
 * Top-level scripts keep the name the botserver gives them, so existing `USE TOOL "start"` calls work.
 * Folder segments are joined with `__`, which keeps the name a valid LLM function name and flat, as the
 * runtime expects every artifact directly in `{bot}.gbdialog/`. A name can still be claimed twice (a
 * top-level `sales__quote.bas` next to `sales/quote.bas`): the second one fails with a diagnostic naming
 * the first, instead of overwriting it.
 */
export function dialogToolName(bot: string, key: string): string {
  const inside = key.slice(`${bot}.gbdialog/`.length);
  const segments = inside.split("/");
  const file = segments.pop()!;
  const stem = file.replace(/\.bas$/i, "");
  return [...segments, stem].join("__");
}

/** A bare file name: no directory separators, no control characters, not hidden (`..` included). */
const ARTIFACT_FILE = /^(?!\.)[^/\\\u0000-\u001f\u007f]+$/;

/**
 * `{bot}.gbai/{bot}.gbdialog/{file}`, the botserver's work-dir layout, after checking that neither name can
 * climb out of it — the one check every artifact store relies on.
 */
export function artifactPath(bot: string, file: string): string {
  if (!isBotName(bot)) throw new BotsyncError("INVALID_BOT_NAME", `not a valid bot name: ${JSON.stringify(bot.slice(0, 80))}`);
  if (!ARTIFACT_FILE.test(file)) throw new BotsyncError("INVALID_KEY", `not a valid artifact file name: ${JSON.stringify(file.slice(0, 80))}`);
  return `${bot}.gbai/${bot}.gbdialog/${file}`;
}
