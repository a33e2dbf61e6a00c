import { describe, expect, it } from "vitest";
import { FieldCipher, isSealedValue } from "../../src/adapters/crypto/field-cipher.js";

const KEY = "k".repeat(32);
const BOT = "2f1c2d4e-0000-4000-8000-000000000001";

describe("FieldCipher", () => {
  it("round-trips in the botserver's 1:{nonce}:{ciphertext} format with a fresh nonce each time", async () => {
    const cipher = await FieldCipher.create(KEY);
    const a = await cipher.encrypt(BOT, "sk-live-ümlaut");
    const b = await cipher.encrypt(BOT, "sk-live-ümlaut");
    expect(a).toMatch(/^1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(a.split(":")[1]!, "base64")).toHaveLength(12);
    // 14 UTF-8 bytes of plaintext + 16 bytes of GCM tag
    expect(Buffer.from(a.split(":")[2]!, "base64")).toHaveLength(15 + 16);
    expect(a).not.toBe(b);
    expect(isSealedValue(a)).toBe(true);
    expect(await cipher.decrypt(BOT, a)).toBe("sk-live-ümlaut");
  });

  it("a value sealed for one bot does not open for another, nor under another master key", async () => {
    const cipher = await FieldCipher.create(KEY);
    const sealed = await cipher.encrypt(BOT, "secret");
    await expect(cipher.decrypt("other-bot", sealed)).rejects.toMatchObject({ code: "CONFIG_DECRYPT_FAILED" });
    const other = await FieldCipher.create("m".repeat(32));
    await expect(other.decrypt(BOT, sealed)).rejects.toMatchObject({ code: "CONFIG_DECRYPT_FAILED" });
  });

  it("rejects tampering and malformed values", async () => {
    const cipher = await FieldCipher.create(KEY);
    const sealed = await cipher.encrypt(BOT, "secret");
    const [v, nonce, ct] = sealed.split(":");
    const flipped = Buffer.from(ct!, "base64");
    flipped[0] = flipped[0]! ^ 1;
    await expect(cipher.decrypt(BOT, `${v}:${nonce}:${flipped.toString("base64")}`)).rejects.toMatchObject({ code: "CONFIG_DECRYPT_FAILED" });
    for (const bad of ["plain", "2:abc:def", "1::", "1:abc"]) {
      expect(isSealedValue(bad)).toBe(false);
      await expect(cipher.decrypt(BOT, bad)).rejects.toMatchObject({ code: "CONFIG_DECRYPT_FAILED" });
    }
  });

  it("refuses a short master key", async () => {
    await expect(FieldCipher.create("short")).rejects.toMatchObject({ code: "SETTINGS_INVALID" });
  });
});
