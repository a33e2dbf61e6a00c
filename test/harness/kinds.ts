/**
 * The production object kinds (their key rules, file types and lanes) for tests that only classify keys
 * or route jobs: the stores throw, so a test that would write through one fails loudly instead of passing.
 */
import { configKind } from "../../src/core/config/config-object-job.js";
import { dialogKind } from "../../src/core/dialogs/dialog-object-job.js";
import { KindRegistry, register } from "../../src/core/jobs/kind-registry.js";
import type { ObjectKind } from "../../src/core/jobs/object-kind.js";
import { kbKind } from "../../src/core/kb/kb-object-job.js";

function noStore(name: string): () => never {
  return () => {
    throw new Error(`the ${name} store is not available in this test`);
  };
}

const unusedPorts = new Proxy({} as never, {
  get(_target, property) {
    throw new Error(`port ${String(property)} is not available in this test`);
  },
});

/**
 * config, dialog and kb as the service registers them, in its order; `only` keeps some of them (a
 * deployment without the others), `overrides` replace kinds by name.
 */
export function productionKinds(options: { only?: string[]; overrides?: Array<ObjectKind<unknown>> } = {}): KindRegistry<unknown> {
  const kinds = [configKind(async () => null), dialogKind(unusedPorts), kbKind(unusedPorts)] as Array<ObjectKind<unknown>>;
  return new KindRegistry(
    kinds
      .filter((kind) => !options.only || options.only.includes(kind.name))
      .map((kind) => register(options.overrides?.find((o) => o.name === kind.name) ?? kind, noStore(kind.name))),
  );
}

/** What an ObjectSighting carries for each production kind. */
export const SIGHTING_KIND = {
  config: { name: "config", fileType: "config", lane: "fast" },
  dialog: { name: "dialog", fileType: "bas", lane: "fast" },
  kb: { name: "kb", fileType: "kb", lane: "kb" },
} as const;

/** The kind name of a drive_files.file_type, as PgJobStore needs it. */
export function kindOfFileType(fileType: string): string | undefined {
  return productionKinds().byFileType(fileType)?.name;
}
