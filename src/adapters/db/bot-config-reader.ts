import type { BotConfigReader } from "../../core/ports/bot-config-reader.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";
import { db, type Sql } from "./connect.js";

/**
 * A bot's configuration as the jobs need it, read fresh each time (the botserver reads embedding settings
 * once and needs a restart to see a change). Sealed values are opened; one that does not open is left out
 * rather than handed over as ciphertext.
 */
export class PgBotConfigReader implements BotConfigReader {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: () => Promise<ValueCipher | null>,
  ) {}

  read(botId: string): Promise<Record<string, string>> {
    return db(async () => {
      const rows = await this.sql<{ config_key: string; config_value: string; is_encrypted: boolean }[]>`
        select config_key, config_value, is_encrypted from bot_configuration where bot_id = ${botId}`;
      const cipher = rows.some((r) => r.is_encrypted) ? await this.cipher() : null;
      const config: Record<string, string> = {};
      for (const row of rows) {
        if (!row.is_encrypted) config[row.config_key] = row.config_value;
        else if (cipher) {
          try {
            config[row.config_key] = await cipher.decrypt(botId, row.config_value);
          } catch {
            // unreadable: left out
          }
        }
      }
      return config;
    });
  }
}
