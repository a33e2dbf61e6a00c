import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface EmbeddedSecrets {
  webhook: string;
  api: string;
  masterKey: string;
}

/**
 * Tokens and the encryption master key of the embedded default: generated once and kept under DATA_DIR
 * (mode 0600), so a restart does not break the embedded drive's webhook, an operator's saved API token, or
 * the sealed config values. Only used when nothing is configured.
 */
export async function embeddedSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = join(dataDir, "secrets.json");
  let saved: Partial<Record<keyof EmbeddedSecrets, unknown>> = {};
  try {
    saved = JSON.parse(await readFile(file, "utf8"));
  } catch {
    // first start, or an unreadable file: generate what is missing
  }
  const pick = (value: unknown) => (typeof value === "string" && value.length >= 32 ? value : randomBytes(32).toString("base64url"));
  const secrets = { webhook: pick(saved.webhook), api: pick(saved.api), masterKey: pick(saved.masterKey) };
  if (secrets.webhook !== saved.webhook || secrets.api !== saved.api || secrets.masterKey !== saved.masterKey) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
