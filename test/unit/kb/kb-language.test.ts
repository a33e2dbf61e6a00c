import { describe, expect, it } from "vitest";
import { kbLanguageFrom } from "../../../src/core/kb/kb-language.js";

describe("kbLanguageFrom", () => {
  it("reads kb-language as PostgreSQL folds an unquoted name, english when unset or blank", () => {
    expect(kbLanguageFrom({})).toBe("english");
    expect(kbLanguageFrom({ "kb-language": "   " })).toBe("english");
    expect(kbLanguageFrom({ "kb-language": " Portuguese " })).toBe("portuguese");
    expect(kbLanguageFrom({ "kb-language": "simple" })).toBe("simple");
  });
});
