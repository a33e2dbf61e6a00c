import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BotsyncError } from "../../core/errors.js";

export interface EmbeddedSecrets {
  webhook: string;
  api: string;
  masterKey: string;
}

const NAMES: Array<keyof EmbeddedSecrets> = ["webhook", "api", "masterKey"];
const MIN_LENGTH = 32;

/**
 * Tokens and the encryption master key of the embedded default: generated once and kept under DATA_DIR
 * (mode 0600), so a restart does not break the embedded drive's webhook, an operator's saved API token, or
 * the sealed config values. Only used when nothing is configured.
 *
 * Only a missing file is a first start. A file that cannot be read or parsed, or that holds an invalid
 * value, stops start-up with its path and the reason: replacing it would make every value sealed with the
 * old master key unreadable, for good. A value missing from a valid file is generated and added.
 */
export async function embeddedSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = join(dataDir, "secrets.json");
  const saved = await readSaved(file);
  const secrets = Object.fromEntries(NAMES.map((name) => [name, saved[name] ?? randomBytes(32).toString("base64url")])) as unknown as EmbeddedSecrets;
  if (NAMES.some((name) => saved[name] === undefined)) await writeAtomically(dataDir, file, JSON.stringify(secrets, null, 2));
  return secrets;
}

async function readSaved(file: string): Promise<Partial<EmbeddedSecrets>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw unusable(file, `cannot read it (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw unusable(file, `it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw unusable(file, "it does not hold a JSON object");
  const saved: Partial<EmbeddedSecrets> = {};
  for (const name of NAMES) {
    const value = (parsed as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length < MIN_LENGTH) throw unusable(file, `"${name}" is not a string of at least ${MIN_LENGTH} characters`);
    saved[name] = value;
  }
  return saved;
}

function unusable(file: string, reason: string): BotsyncError {
  return new BotsyncError(
    "SETTINGS_INVALID",
    `${file} holds the embedded default's tokens and master key, and ${reason}. Restore it from a backup, or — only if no sealed config value needs to be read again — move it away to generate new ones.`,
  );
}

/** temp file + rename: a crash mid-write leaves the old file or the new one, never half of one. */
async function writeAtomically(dir: string, file: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
