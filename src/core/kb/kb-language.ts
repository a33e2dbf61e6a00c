/**
 * The language a bot's knowledge base is indexed and searched in: config.csv's `kb-language`, the name of a
 * PostgreSQL text-search configuration (`english`, `portuguese`, `spanish`, `simple`, …), so `refund`
 * finds "Refunds". Unset means `english`. Whether the database server has that configuration is the
 * chunk index's business: it falls back to `simple` (words as written, no stemming) and says so.
 */
export const KB_LANGUAGE_KEY = "kb-language";
export const DEFAULT_KB_LANGUAGE = "english";

/** The configuration name the bot asks for, lower-cased as PostgreSQL folds unquoted names. */
export function kbLanguageFrom(config: Readonly<Record<string, string>>): string {
  return config[KB_LANGUAGE_KEY]?.trim().toLowerCase() || DEFAULT_KB_LANGUAGE;
}

/** The warning a KB job records when the server has no configuration of that name. */
export function kbLanguageFallbackMessage(requested: string, used: string): string {
  return `${KB_LANGUAGE_KEY} "${requested}" is not a text-search configuration on this database server; documents are indexed with "${used}" (words as written, no stemming)`;
}
