import { botserverTables } from "./001-botserver-tables.js";
import { botsyncJobState } from "./002-botsync-job-state.js";
import { dialogTables } from "./003-dialog-tables.js";
import { kbTables } from "./004-kb-tables.js";
import { reprocessFlag } from "./005-reprocess-flag.js";
import { sequencerSource } from "./006-sequencer-source.js";
import { kbSearchLanguage } from "./007-kb-search-language.js";

/**
 * Migrations are TypeScript modules rather than .sql files so that the same list bundles into the Worker and
 * runs from the CLI, the Node service and the tests without a file system. Append only; never edit one that
 * has shipped.
 */
export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  { id: "001-botserver-tables", sql: botserverTables },
  { id: "002-botsync-job-state", sql: botsyncJobState },
  { id: "003-dialog-tables", sql: dialogTables },
  { id: "004-kb-tables", sql: kbTables },
  { id: "005-reprocess-flag", sql: reprocessFlag },
  { id: "006-sequencer-source", sql: sequencerSource },
  { id: "007-kb-search-language", sql: kbSearchLanguage },
];
