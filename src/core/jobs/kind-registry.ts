import { validateObjectKey } from "../paths/object-key.js";
import type { ObjectKind } from "./object-kind.js";

/**
 * A kind with its store's adapter: `store(tx)` binds the kind's port to the transaction in which a job's
 * writes and its completion commit together. `Tx` is whatever the job store's transactions are; core never
 * looks inside it.
 */
export interface KindRegistration<Tx> {
  readonly kind: ObjectKind<unknown>;
  store(tx: Tx): unknown;
}

/** Pairs a kind with its store; the types make sure the store is the one the kind's handler takes. */
export function register<Store, Tx>(kind: ObjectKind<Store>, store: (tx: Tx) => Store): KindRegistration<Tx> {
  return { kind: kind as ObjectKind<unknown>, store };
}

/**
 * A valid key is one kind's object, or none's (`kind: null`: no job handles it, e.g. a logo under .gbot/);
 * an unsafe key (`..`, control characters, a directory marker…) is refused with the reason.
 */
export type Classified = { ok: true; kind: ObjectKind<unknown> | null; key: string } | { ok: false; reason: string };

/** What the use cases ask of the registry: which kind an object is. */
export interface Kinds {
  classify(bot: string, key: string): Classified;
  byName(name: string): ObjectKind<unknown> | undefined;
  byFileType(fileType: string): ObjectKind<unknown> | undefined;
}

export class KindRegistry<Tx> implements Kinds {
  private readonly registrations: ReadonlyMap<string, KindRegistration<Tx>>;

  constructor(registrations: Array<KindRegistration<Tx>>) {
    const byName = new Map<string, KindRegistration<Tx>>();
    const fileTypes = new Set<string>();
    for (const registration of registrations) {
      const { name, fileType } = registration.kind;
      if (byName.has(name) || fileTypes.has(fileType)) throw new Error(`object kind ${name} (file type ${fileType}) is registered twice`);
      byName.set(name, registration);
      fileTypes.add(fileType);
    }
    this.registrations = byName;
  }

  /** The first kind whose `matches` claims the key: the registry's order is the precedence. */
  classify(bot: string, key: string): Classified {
    const problem = validateObjectKey(key);
    if (problem !== null) return { ok: false, reason: problem };
    for (const { kind } of this.registrations.values()) if (kind.matches(bot, key)) return { ok: true, kind, key };
    return { ok: true, kind: null, key };
  }

  byName(name: string): ObjectKind<unknown> | undefined {
    return this.registrations.get(name)?.kind;
  }

  byFileType(fileType: string): ObjectKind<unknown> | undefined {
    for (const { kind } of this.registrations.values()) if (kind.fileType === fileType) return kind;
    return undefined;
  }

  registration(name: string): KindRegistration<Tx> | undefined {
    return this.registrations.get(name);
  }
}
