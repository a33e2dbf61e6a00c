/**
 * Encryption of sensitive config values at rest, per bot. Values use the botserver's format
 * `1:{nonce_b64}:{ciphertext_b64}` (AES-256-GCM; docs/botserver-compatibility.md, "Sensitive keys and
 * sealed values").
 */
export interface ValueCipher {
  encrypt(botId: string, plaintext: string): Promise<string>;
  /** throws CONFIG_DECRYPT_FAILED when the value was not sealed with this key for this bot */
  decrypt(botId: string, sealed: string): Promise<string>;
}
