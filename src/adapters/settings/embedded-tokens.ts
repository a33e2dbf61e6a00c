import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Tokens for the embedded default: generated once and kept under DATA_DIR, so a restart does not break the
 * embedded drive's webhook or an operator's saved API token. Only used when nothing is configured.
 */
export async function embeddedTokens(dataDir: string): Promise<{ webhook: string; api: string }> {
  const file = join(dataDir, "tokens.json");
  try {
    const saved = JSON.parse(await readFile(file, "utf8")) as { webhook?: unknown; api?: unknown };
    if (typeof saved.webhook === "string" && typeof saved.api === "string") return { webhook: saved.webhook, api: saved.api };
  } catch {
    // first start, or an unreadable file: generate new ones
  }
  const tokens = { webhook: randomBytes(24).toString("base64url"), api: randomBytes(24).toString("base64url") };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  return tokens;
}
