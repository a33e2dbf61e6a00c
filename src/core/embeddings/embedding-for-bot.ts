/**
 * A bot's embedding settings with the key found the botserver's way: `embedding-key` in config.csv, else
 * the bot's `llm` secret — `gbo/orgs/{org}/bots/{bot}/llm`, then `gbo/bots/default/llm`, then `gbo/llm`
 * (Vault; `LLM_*` environment variables in development). In that secret the key is the first of
 * `embedding_key`, `api_key`, `openai_key`, `key` that is set.
 */
import type { BotConfigReader } from "../ports/bot-config-reader.js";
import type { BotSecrets } from "../ports/bot-secrets.js";
import type { EmbeddingConfig } from "../ports/embedder.js";
import { embeddingConfigFrom } from "./embedding-config.js";

export const LLM_SECRET_KEY_NAMES = ["embedding_key", "api_key", "openai_key", "key"] as const;

export interface EmbeddingKeySources {
  config: BotConfigReader;
  /** absent where no per-bot secrets are kept (a Worker) */
  secrets?: BotSecrets;
}

export async function embeddingForBot(botId: string, config: Readonly<Record<string, string>>, sources: EmbeddingKeySources): Promise<EmbeddingConfig | null> {
  const embedding = embeddingConfigFrom(config);
  if (!embedding || embedding.key || !sources.secrets) return embedding;
  const secret = await sources.secrets.resolve({ id: botId, orgId: await sources.config.orgOf(botId) }, "llm");
  const key = LLM_SECRET_KEY_NAMES.map((name) => secret?.values[name]?.trim()).find((value) => value);
  return key ? { ...embedding, key } : embedding;
}
