/** The botserver's Qdrant collection of a bot's KB: `{bot}_{first 8 of the bot id}_{kb}` (also in kb_collections). */
export function collectionName(bot: string, botId: string, kb: string): string {
  return `${bot}_${botId.slice(0, 8)}_${kb}`;
}
