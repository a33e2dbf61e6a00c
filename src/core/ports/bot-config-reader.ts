/** A bot's bot_configuration as key → value, sealed values opened. Read fresh for every job. */
export interface BotConfigReader {
  read(botId: string): Promise<Record<string, string>>;
}
