/**
 * Which config.csv keys hold secrets. The newest botserver tests whether the lower-cased key *contains* any
 * of password, secret, token, api_key, auth, key, cert…, so `oauth-google-enabled`, `llm-max-tokens` and
 * `theme-key-color` count as secrets and are dropped from config.csv in silence
 * (docs/botserver-compatibility.md, "Sensitive keys and sealed values"). The rule here:
 *
 *   A key names a secret when its LAST word is a secret noun.
 *
 * Words are split on `-`, `_`, `.`, spaces and camelCase, case-insensitively. Secret nouns: password,
 * passwd, pwd, passphrase, secret, token, credential(s), apikey, accesskey, secretkey, privatekey, and
 * `key` unless the word before it makes it a non-secret (public, primary, sort, partition, foreign, cache,
 * shortcut, hot). So `whatsapp-api-key`, `embedding-key`, `smtp-password`, `jwt-secret`,
 * `whatsapp-verify-token` are secrets; `oauth-google-enabled` (last word `enabled`), `llm-max-tokens`
 * (`tokens` is a count), `token-url`, `api-key-header`, `public-key` are not.
 */

const SECRET_NOUNS = new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "token",
  "credential",
  "credentials",
  "apikey",
  "accesskey",
  "secretkey",
  "privatekey",
]);

const NON_SECRET_KEY_QUALIFIERS = new Set(["public", "primary", "sort", "partition", "foreign", "cache", "shortcut", "hot"]);

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[-_.\s]+/)
    .filter((w) => w !== "");
}

export function isSensitiveKey(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_NOUNS.has(last)) return true;
  if (last !== "key") return false;
  const before = words.at(-2);
  return before === undefined || !NON_SECRET_KEY_QUALIFIERS.has(before);
}

/** What the API shows instead of a secret value. */
export const MASKED_VALUE = "********";
