/**
 * The dialog slice's store: `basic_tools` and `system_automations`, written inside the job's transaction.
 * Implemented by src/adapters/db/dialog-store.ts.
 */
export interface DialogStore {
  /** The file that owns a tool name among the bot's active tools, or null when the name is free. */
  toolNameOwner(input: { botId: string; toolName: string }): Promise<string | null>;
  /** Upserts `basic_tools` (active, with both JSON definitions) and replaces the script's schedules. */
  applyDialog(input: {
    botId: string;
    filePath: string;
    toolName: string;
    astPath: string;
    mcp: unknown;
    tool: unknown;
    schedules: Array<{ cron: string }>;
  }): Promise<void>;
  /** Deactivates the script's `basic_tools` row and removes its schedules. */
  removeDialog(input: { botId: string; filePath: string; toolName: string }): Promise<void>;
}
