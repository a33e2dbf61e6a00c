import { describe, expect, it } from "vitest";
import { constantTimeEqual, requireToken } from "../../src/handlers/http/bearer-token.js";

describe("constantTimeEqual", () => {
  it("is true only for the same string", () => {
    expect(constantTimeEqual("secret-token", "secret-token")).toBe(true);
    expect(constantTimeEqual("secret-tokeN", "secret-token")).toBe(false);
    expect(constantTimeEqual("secret-token-longer", "secret-token")).toBe(false);
    expect(constantTimeEqual("secret", "secret-token")).toBe(false);
    expect(constantTimeEqual("", "secret-token")).toBe(false);
    expect(constantTimeEqual("\u0000".repeat(12), "secret-token")).toBe(false);
  });
});

describe("requireToken", () => {
  it("accepts `<scheme> <token>` and nothing else", async () => {
    await expect(requireToken("Bearer abc", "abc", "API")).resolves.toBeUndefined();
    await expect(requireToken("Splunk abc", "abc", "webhook")).resolves.toBeUndefined();
    await expect(requireToken("abc", "abc", "API")).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "API token is not valid" });
    await expect(requireToken("Bearer abc x", "abc", "API")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(requireToken(undefined, "abc", "API")).rejects.toMatchObject({ message: "missing Authorization: Bearer <API token>" });
  });
});
