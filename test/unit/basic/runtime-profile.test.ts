/**
 * The runtime profile (src/core/basic/runtime-profile/botserver-runtime.ts) is generated data
 * (docs/basic-compiler.md, "The runtime profile"). The botserver runtime description it is generated from is
 * not part of this repository: the tests look for it in the directory DESCRIPTION below (relative to the
 * repository root: `../shared/reference/botserver-runtime/`, holding syntax_in_force.tsv, functions.tsv and
 * registrations.tsv). When it is there, the committed file must be exactly what it says; when it is absent,
 * that check skips and its name says so. How the compiler reads a profile is tested on small inline
 * descriptions.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildProfile, renderProfileModule } from "../../../src/core/basic/runtime-profile/build-profile.js";
import { BOTSERVER_RUNTIME } from "../../../src/core/basic/runtime-profile/botserver-runtime.js";
import { RuntimeProfile } from "../../../src/core/basic/runtime-profile.js";
import { PROFILE_MODULE, readDescription } from "./write-runtime-profile.js";

const DESCRIPTION = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/reference/botserver-runtime");
const PRESENT = existsSync(join(DESCRIPTION, "syntax_in_force.tsv")) && existsSync(join(DESCRIPTION, "functions.tsv"));
const ABSENT = `skipped: the runtime description ${DESCRIPTION} is absent (it is not part of this repository)`;

describe.skipIf(!PRESENT)(`the committed profile is what the runtime description says${PRESENT ? "" : ` (${ABSENT})`}`, () => {
  it("equals the profile built from syntax_in_force.tsv and functions.tsv (regenerate: npm run runtime-profile -- DIR)", () => {
    const built = buildProfile(readDescription(DESCRIPTION));
    expect(BOTSERVER_RUNTIME).toEqual(built);
    expect(readFileSync(PROFILE_MODULE, "utf8")).toBe(renderProfileModule(built));
  });

  it("the syntax in force per keyword is the last registration with that first token", () => {
    const lastByKeyword = new Map<string, string>();
    for (const line of readFileSync(join(DESCRIPTION, "registrations.tsv"), "utf8").split("\n")) {
      const cells = line.split("\t");
      if (cells.length < 4 || line.startsWith("#")) continue;
      const pattern = cells[3]!;
      lastByKeyword.set(pattern.split(" ")[0]!, pattern);
    }
    expect(Object.fromEntries(lastByKeyword)).toEqual(BOTSERVER_RUNTIME.syntax);
  });
});

const SMALL = buildProfile({
  syntaxInForce: [
    "# 4 register_custom_syntax calls, 3 leading keywords in force",
    "TALK\tTALK $expr$\tcore/talk.rs:1\tcore",
    "FIND\tFIND $expr$ , $expr$\tdata/find.rs:1\tdata",
    "LAST\tLAST ( $expr$ )\tcore/last.rs:1\tcore",
  ].join("\n"),
  functions: [
    "# name\tsource\tarity\torigin",
    "FORMAT\tf.rs:1\t2\tbotserver",
    "format\tf.rs:2\t2\tbotserver",
    "LAST\tl.rs:1\t1\tbotserver",
    "last\tl.rs:2\t1\tbotserver",
    "GET BOT MEMORY\tm.rs:1\t1\tbotserver",
    "call\tc.rs:1\t1+\trhai-evaluator",
    "is_def_fn\tc.rs:2\t2-3\trhai-evaluator",
    "range\tr.rs:1\t2,3\trhai-std",
    "range\tr.rs:2\t2\tbotserver",
  ].join("\n"),
  registrations: [
    "1\tcore\tcore/talk.rs:0\tTALK TO $expr$ , $expr$",
    "2\tcore\tcore/talk.rs:1\tTALK $expr$",
    "3\tdata\tdata/find.rs:1\tFIND $expr$ , $expr$",
    "4\tcore\tcore/last.rs:1\tLAST ( $expr$ )",
  ].join("\n"),
  readme: "as it is built in the botserver of May 2026 (`generalbots/generalbots` @ `f59afde5`, …)",
});

describe("building and reading a profile", () => {
  it("keeps the syntax in force per keyword and the replaced ones, merges arities, drops names no script can call", () => {
    expect(SMALL).toEqual({
      source: "generalbots/generalbots @ f59afde5",
      syntax: { FIND: "FIND $expr$ , $expr$", LAST: "LAST ( $expr$ )", TALK: "TALK $expr$" },
      functions: { FORMAT: "2", LAST: "1", call: "1+", format: "2", is_def_fn: "2,3", last: "1", range: "2,3" },
      replaced: ["TALK TO $expr$ , $expr$"],
    });
  });

  it("answers calls: registered, unknown, wrong number of arguments, `N or more`", () => {
    const profile = new RuntimeProfile(SMALL);
    expect(profile.callStatus("FORMAT", 2)).toBe("ok");
    expect(profile.callStatus("FORMAT", 1)).toBe("arity");
    expect(profile.callStatus("FROB", 1)).toBe("unknown");
    expect(profile.callStatus("call", 5)).toBe("ok");
    expect(profile.callStatus("call", 0)).toBe("arity");
    expect(profile.describeArity("range")).toBe("2 or 3");
    expect(profile.describeArity("call")).toBe("1 or more");
  });

  it("resolves a BASIC call to the registered spelling, avoiding custom keywords", () => {
    const profile = new RuntimeProfile(SMALL);
    expect(profile.resolveFunction("Format", 2)).toEqual({ name: "FORMAT", status: "ok" });
    expect(profile.resolveFunction("format", 2)).toEqual({ name: "format", status: "ok" });
    // LAST is the LAST ( $expr$ ) syntax: Rhai would not read LAST(x) as a call of the function.
    expect(profile.resolveFunction("LAST", 1)).toEqual({ name: "last", status: "ok" });
    expect(profile.resolveFunction("FORMAT", 1)).toEqual({ name: "FORMAT", status: "arity" });
    expect(profile.resolveFunction("nope", 1)).toEqual({ name: "nope", status: "unknown" });
  });

  it("writes a call of a custom keyword as the syntax when the shapes agree", () => {
    const profile = new RuntimeProfile(SMALL);
    expect(profile.syntaxCall("FIND", ["a", "b"])).toBe("(FIND a, b)");
    expect(profile.syntaxCall("TALK", ["a"])).toBe("(TALK a)");
    expect(profile.syntaxCall("LAST", ["x"])).toBe("LAST(x)");
    expect(profile.syntaxCall("FIND", ["a"])).toBeNull();
    expect(profile.syntaxCall("NOPE", ["a"])).toBeNull();
  });

  it("names what the runtime offers for a word", () => {
    const profile = new RuntimeProfile(BOTSERVER_RUNTIME);
    expect(profile.offersFor("SEND")).toEqual([
      "SEND_SMS expr , expr , expr , expr",
      "SEND_TEMPLATE(3 or 4 arguments)",
      "SEND_TEMPLATE_TO(3 or 4 arguments)",
      "send_mail(4 arguments)",
      "send_template(3 arguments)",
    ]);
  });
});
