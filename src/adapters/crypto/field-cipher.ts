/**
 * AES-256-GCM field encryption in the botserver's format `1:{nonce_b64}:{ciphertext_b64}` (96-bit random
 * nonce; the ciphertext carries the 128-bit tag at its end, as Rust's aes-gcm writes it). The per-bot key is
 * HKDF-SHA256(master key, salt "botsync/v1", info "config:{bot_id}"), so one leaked bot key exposes one bot.
 * The botserver's own `derive_scope_key` is not documented; values written by it may not
 * decrypt here, and `botsync rotate-master-key` reports any value it cannot read instead of guessing.
 * WebCrypto only: the same code runs on Node and in workerd.
 */
import { BotsyncError } from "../../core/errors.js";
import type { ValueCipher } from "../../core/ports/value-cipher.js";
import { decodeUtf8Strict } from "../../core/text/utf8.js";

const FORMAT = /^1:([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/;
const encoder = new TextEncoder();

export const MIN_MASTER_KEY_LENGTH = 32;

export function isSealedValue(value: string): boolean {
  return FORMAT.test(value);
}

export class FieldCipher implements ValueCipher {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  private constructor(private readonly master: CryptoKey) {}

  static async create(masterKey: string): Promise<FieldCipher> {
    if (masterKey.length < MIN_MASTER_KEY_LENGTH) {
      throw new BotsyncError("SETTINGS_INVALID", `the encryption master key must be at least ${MIN_MASTER_KEY_LENGTH} characters`);
    }
    const master = await crypto.subtle.importKey("raw", encoder.encode(masterKey), "HKDF", false, ["deriveKey"]);
    return new FieldCipher(master);
  }

  async encrypt(botId: string, plaintext: string): Promise<string> {
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, await this.keyFor(botId), encoder.encode(plaintext));
    return `1:${toBase64(nonce)}:${toBase64(new Uint8Array(sealed))}`;
  }

  async decrypt(botId: string, sealed: string): Promise<string> {
    const match = FORMAT.exec(sealed);
    if (!match) throw new BotsyncError("CONFIG_DECRYPT_FAILED", "value is not in the 1:{nonce}:{ciphertext} format");
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(match[1]!) }, await this.keyFor(botId), fromBase64(match[2]!));
      return decodeUtf8Strict(new Uint8Array(plain));
    } catch {
      throw new BotsyncError("CONFIG_DECRYPT_FAILED", "value does not decrypt with this master key for this bot");
    }
  }

  private keyFor(botId: string): Promise<CryptoKey> {
    let key = this.keys.get(botId);
    if (!key) {
      key = crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: encoder.encode("botsync/v1"), info: encoder.encode(`config:${botId}`) },
        this.master,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
      this.keys.set(botId, key);
    }
    return key;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
