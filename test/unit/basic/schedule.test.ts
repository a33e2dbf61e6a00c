/** SET SCHEDULE: natural language and cron → validated cron strings that fit system_automations. */
import { describe, it, expect } from "vitest";
import { compileBasic } from "../../../src/core/basic/compile.js";
import { scheduleToCron, validateCron } from "../../../src/core/basic/schedule.js";

describe("natural-language schedules", () => {
  it.each([
    ["every minute", "* * * * *"],
    ["every 5 minutes", "*/5 * * * *"],
    ["Every 30 Minutes", "*/30 * * * *"],
    ["every hour", "0 * * * *"],
    ["hourly", "0 * * * *"],
    ["every 2 hours", "0 */2 * * *"],
    ["every day", "0 0 * * *"],
    ["daily", "0 0 * * *"],
    ["every day at 9am", "0 9 * * *"],
    ["daily at 6:30 pm", "30 18 * * *"],
    ["at 9am", "0 9 * * *"],
    ["at 12am", "0 0 * * *"],
    ["at 12pm", "0 12 * * *"],
    ["at 14:45", "45 14 * * *"],
    ["at noon", "0 12 * * *"],
    ["at midnight", "0 0 * * *"],
    ["every monday at 9am", "0 9 * * 1"],
    ["every monday", "0 0 * * 1"],
    ["every monday and friday at 8:15am", "15 8 * * 1,5"],
    ["every tue, thu at 10am", "0 10 * * 2,4"],
    ["fridays at 5pm", "0 17 * * 5"],
    ["weekdays at 8am", "0 8 * * 1-5"],
    ["every weekday at 8am", "0 8 * * 1-5"],
    ["weekends at 10am", "0 10 * * 0,6"],
    ["every week", "0 0 * * 0"],
    ["weekly at 9am", "0 9 * * 0"],
    ["every month", "0 0 1 * *"],
    ["monthly at 3am", "0 3 1 * *"],
    ["every 3 days at 1am", "0 1 */3 * *"],
  ])("%s → %s", (text, cron) => {
    expect(scheduleToCron(text)).toEqual({ ok: true, cron });
  });

  it.each(["every blue moon", "at 25:00", "at 9", "every 0 minutes", "every 61 minutes", "every 24 hours", "sometimes", "every monday at", "at 13pm", "every day at 9:75"])(
    "rejects %j",
    (text) => {
      const result = scheduleToCron(text);
      expect(result.ok).toBe(false);
    },
  );
});

describe("cron schedules", () => {
  it.each([
    ["0 9 * * 1-5", "0 9 * * 1-5"],
    ["*/15   *  * * *", "*/15 * * * *"],
    ["0 0 1,15 * *", "0 0 1,15 * *"],
    ["30 0 9 * * MON-FRI", "30 0 9 * * MON-FRI"],
    ["0 12 ? * SUN", "0 12 ? * SUN"],
    ["0 8 * JAN,jul *", "0 8 * JAN,jul *"],
    ["0 0 * * 7", "0 0 * * 7"],
  ])("accepts %j", (text, cron) => {
    expect(validateCron(text)).toEqual({ ok: true, cron });
    expect(scheduleToCron(text)).toEqual({ ok: true, cron });
  });

  it.each([
    ["60 * * * *", "minute"],
    ["* 24 * * *", "hour"],
    ["* * 0 * *", "day of month"],
    ["* * * 13 *", "month"],
    ["* * * * 8", "day of week"],
    ["5-1 * * * *", "minute"],
    ["*/0 * * * *", "minute"],
    ["? * * * *", "minute"],
    ["* * * *", "5 fields"],
    ["* * * * * * *", "5 fields"],
    ["1,,2 * * * *", "minute"],
    ["a * * * *", "minute"],
  ])("rejects %j (%s)", (text, where) => {
    const result = validateCron(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(where);
  });

  it("rejects a cron longer than system_automations.schedule (bpchar(20)) instead of truncating it", () => {
    const result = scheduleToCron("0,15,30,45 0-6 1-15 * *");
    expect(result).toEqual({ ok: false, message: 'Cron "0,15,30,45 0-6 1-15 * *" is 23 characters; system_automations.schedule holds 20' });
  });
});

describe("SET SCHEDULE in a script", () => {
  it("reports each schedule with its line; the line is not in the .ast", () => {
    const r = compileBasic('TALK "a"\nSET SCHEDULE "weekdays at 8am"\nSET SCHEDULE "0 */6 * * *"\n', { name: "report" });
    expect(r.ok).toBe(true);
    expect(r.schedules).toEqual([
      { cron: "0 8 * * 1-5", source: "weekdays at 8am", line: 2 },
      { cron: "0 */6 * * *", source: "0 */6 * * *", line: 3 },
    ]);
    expect(r.ast).toBe('TALK "a";\n');
  });

  it("an invalid schedule is an error at the schedule text", () => {
    const r = compileBasic('  SET SCHEDULE "every 99 minutes"\n', { name: "t" });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual([{ code: "invalid-schedule", line: 1, column: 16 }]);
    expect(r.schedules).toEqual([]);
  });

  it("a cron that does not fit bpchar(20) is a schedule-too-long error", () => {
    const r = compileBasic('SET SCHEDULE "0,10,20,30,40,50 * * * *"\n', { name: "t" });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["schedule-too-long"]);
  });

  it("a script name longer than system_automations.param (varchar(32)) cannot hold a schedule", () => {
    const name = "a_very_long_dialog_name_for_reports";
    expect(name.length).toBeGreaterThan(32);
    const r = compileBasic('SET SCHEDULE "daily"\n', { name });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual([{ code: "script-name-too-long", line: 1, column: 1 }]);
    expect(compileBasic('TALK "no schedule"\n', { name }).ok).toBe(true);
  });

  it("needs a string literal", () => {
    expect(compileBasic("SET SCHEDULE when\n", { name: "t" }).diagnostics.map((d) => d.code)).toEqual(["expected-token"]);
  });
});
