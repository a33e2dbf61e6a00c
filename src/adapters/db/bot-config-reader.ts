import { BotsyncError, errorText } from "../../core/errors.js";
import type { BotConfigReader } from "../../core/ports/bot-config-reader.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";
import { db, type Sql } from "./connect.js";

/**
 * A bot's configuration as the jobs need it, read fresh each time (the botserver reads embedding settings
 * once and needs a restart to see a change). Sealed values are opened. One that does not open (another
 * master key, no master key at all, a damaged value) fails the read with CONFIG_DECRYPT_FAILED naming the
 * key: dropping it in silence would send, say, requests without `embedding-key`, whose 401s look like an
 * outage of the embedding server.
 */
export class PgBotConfigReader implements BotConfigReader {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: () => Promise<ValueCipher | null>,
  ) {}

  orgOf(botId: string): Promise<string | null> {
    return db(async () => {
      const [row] = await this.sql<{ org_id: string | null }[]>`select org_id::text as org_id from bots where id = ${botId}`;
      return row?.org_id ?? null;
    });
  }

  read(botId: string): Promise<Record<string, string>> {
    return db(async () => {
      const rows = await this.sql<{ config_key: string; config_value: string; is_encrypted: boolean }[]>`
        select config_key, config_value, is_encrypted from bot_configuration where bot_id = ${botId}`;
      const cipher = rows.some((r) => r.is_encrypted) ? await this.cipher() : null;
      const config: Record<string, string> = {};
      for (const row of rows) {
        if (!row.is_encrypted) config[row.config_key] = row.config_value;
        else config[row.config_key] = await open(cipher, botId, row.config_key, row.config_value);
      }
      return config;
    });
  }
}

async function open(cipher: ValueCipher | null, botId: string, key: string, sealed: string): Promise<string> {
  if (!cipher) throw decryptFailed(key, "no master key is configured (Vault gbo/encryption master_key, or ENCRYPTION_MASTER_KEY)");
  try {
    return await cipher.decrypt(botId, sealed);
  } catch (error) {
    throw decryptFailed(key, `${errorText(error)} (sealed under another master key, or damaged; upload the config.csv again)`);
  }
}

/** Permanent: the same sealed value fails the same way until config.csv or the master key changes. */
function decryptFailed(key: string, reason: string): BotsyncError {
  return new BotsyncError("CONFIG_DECRYPT_FAILED", `config key ${key} could not be decrypted: ${reason}`);
}
