/**
 * Per-bot secret resolution, in the production guide's order:
 *   gbo/orgs/{org_id}/bots/{bot_id}/{name} → gbo/bots/default/{name} → gbo/{name} → environment (development)
 * The first path that exists wins whole (maps are not merged: a bot's own LLM settings never borrow a key
 * from the default). Without Vault, `{NAME}_{KEY}` environment variables stand in, e.g. LLM_URL, LLM_KEY
 * for name "llm" → { url, key }.
 */
import type { BotSecret, BotSecrets } from "../../core/ports/bot-secrets.js";
import type { VaultStore } from "./vault-store.js";

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function botSecretPaths(bot: { id: string; orgId: string | null }, name: string): string[] {
  return [...(bot.orgId ? [`gbo/orgs/${bot.orgId}/bots/${bot.id}/${name}`] : []), `gbo/bots/default/${name}`, `gbo/${name}`];
}

export function vaultBotSecrets(store: Pick<VaultStore, "read">): BotSecrets {
  return {
    async resolve(bot, name) {
      assertSafe(bot.id, name, bot.orgId);
      for (const path of botSecretPaths(bot, name)) {
        const values = await store.read(path);
        if (values) return { values, from: `vault:${path}` };
      }
      return null;
    },
  };
}

export function environmentBotSecrets(env: Record<string, string | undefined>): BotSecrets {
  return {
    async resolve(bot, name) {
      assertSafe(bot.id, name, bot.orgId);
      const prefix = `${name.toUpperCase().replace(/[-.]/g, "_")}_`;
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(env)) {
        if (key.startsWith(prefix) && value) values[key.slice(prefix.length).toLowerCase()] = value;
      }
      return Object.keys(values).length > 0 ? ({ values, from: "environment" } satisfies BotSecret) : null;
    },
  };
}

/** Ids and names become Vault path segments: nothing that could climb or split the path. */
function assertSafe(...segments: Array<string | null>): void {
  for (const segment of segments) {
    if (segment !== null && !SAFE_SEGMENT.test(segment)) throw new Error(`unsafe secret path segment ${JSON.stringify(segment.slice(0, 40))}`);
  }
}
