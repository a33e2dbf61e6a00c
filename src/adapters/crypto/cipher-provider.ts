import type { RuntimeSecrets } from "../../core/ports/runtime-secrets.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";
import { FieldCipher } from "./field-cipher.js";

/** The cipher for the master key in force now; rebuilt only when the key changes (a Vault rotation). */
export function cipherProvider(secrets: Pick<RuntimeSecrets, "masterKey">): () => Promise<ValueCipher | null> {
  let current: { key: string; cipher: Promise<FieldCipher> } | null = null;
  return async () => {
    const key = await secrets.masterKey();
    if (key === null) return null;
    if (current?.key !== key) current = { key, cipher: FieldCipher.create(key) };
    return current.cipher;
  };
}
