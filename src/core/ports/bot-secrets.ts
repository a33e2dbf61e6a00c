/** A bot's own secrets (its LLM key, its e-mail account…), resolved through the production guide's order. */
export interface BotSecret {
  values: Record<string, string>;
  /** where they were found, e.g. "vault:gbo/bots/default/llm" or "environment" — for operators, never a value */
  from: string;
}

export interface BotSecrets {
  /** `name` is the secret's leaf, e.g. "llm", "email", "whatsapp", "api-keys" */
  resolve(bot: { id: string; orgId: string | null }, name: string): Promise<BotSecret | null>;
}
