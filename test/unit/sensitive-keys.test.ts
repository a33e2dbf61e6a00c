import { describe, expect, it } from "vitest";
import { isSensitiveKey, keyWords } from "../../src/core/config/sensitive-keys.js";

describe("isSensitiveKey", () => {
  it.each([
    "whatsapp-api-key",
    "whatsapp-verify-token",
    "embedding-key",
    "llm-key",
    "smtp-password",
    "db_passwd",
    "jwt-secret",
    "oauth-google-client-secret",
    "OPENAI_API_KEY",
    "openaiApiKey",
    "apikey",
    "s3-accesskey",
    "private-key",
    "key",
    "Bot Token",
    "service-account-credentials",
    "ssh-passphrase",
  ])("%s holds a secret", (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    "oauth-google-enabled",
    "llm-max-tokens",
    "token-url",
    "api-key-header",
    "public-key",
    "theme-key-color",
    "auth-mode",
    "Bot Name",
    "llm-url",
    "embedding-url",
    "password-min-length",
    "secret-rotation-days",
    "primary-key",
    "cache-key",
    "",
  ])("%s does not", (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it("splits words on separators and camelCase", () => {
    expect(keyWords("whatsApp_verify-Token.x y")).toEqual(["whats", "app", "verify", "token", "x", "y"]);
  });
});
