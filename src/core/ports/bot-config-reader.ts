/** A bot's bot_configuration as key → value, sealed values opened. Read fresh for every job. */
export interface BotConfigReader {
  read(botId: string): Promise<Record<string, string>>;
  /** `bots.org_id`, which places the bot's own secrets in Vault; null when the bot has none */
  orgOf(botId: string): Promise<string | null>;
}
