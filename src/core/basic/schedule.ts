/**
 * SET SCHEDULE: a cron expression or one of the natural-language forms the botserver accepts
 * ("every hour", "every 5 minutes", "at 9am", "every monday at 9am", "weekdays at 8am", …) → a validated
 * cron string for `system_automations.schedule`.
 *
 * Natural language produces 5-field cron (minute hour day-of-month month day-of-week). A cron written by
 * the user may have 5 fields or 6 (seconds first); it is validated field by field and returned with its
 * fields separated by single spaces. `system_automations.schedule` is bpchar(20): a longer cron is an
 * error, never truncated.
 */

/** `system_automations.schedule` is `bpchar(20)`. */
export const SCHEDULE_COLUMN_WIDTH = 20;
/** `system_automations.param` (the script name) is `varchar(32)`. */
export const SCRIPT_NAME_COLUMN_WIDTH = 32;

export type ScheduleResult = { ok: true; cron: string } | { ok: false; message: string };

export function scheduleToCron(text: string): ScheduleResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "Empty schedule" };
  const first = trimmed.charCodeAt(0);
  const looksLikeCron = (first >= 48 && first <= 57) || first === 42 /* * */ || first === 63; /* ? */
  const result = looksLikeCron ? validateCron(trimmed) : naturalToCron(trimmed);
  if (!result.ok) return result;
  if (result.cron.length > SCHEDULE_COLUMN_WIDTH) {
    return {
      ok: false,
      message: `Cron "${result.cron}" is ${result.cron.length} characters; system_automations.schedule holds ${SCHEDULE_COLUMN_WIDTH}`,
    };
  }
  return result;
}

// ── cron ────────────────────────────────────────────────────────────────────────────────────────────

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** `?` ("no specific value") is allowed in day-of-month and day-of-week. */
  question?: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
const FIVE_FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, question: true },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS, question: true },
];

export function validateCron(text: string): ScheduleResult {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return { ok: false, message: `Cron needs 5 fields (minute hour day month weekday) or 6 (seconds first), found ${fields.length}` };
  }
  const specs = fields.length === 6 ? [SECOND, ...FIVE_FIELDS] : FIVE_FIELDS;
  for (let i = 0; i < fields.length; i++) {
    const problem = checkField(fields[i]!, specs[i]!);
    if (problem !== null) return { ok: false, message: `Invalid cron ${specs[i]!.name} field "${fields[i]}": ${problem}` };
  }
  return { ok: true, cron: fields.join(" ") };
}

function checkField(field: string, spec: FieldSpec): string | null {
  for (const item of field.split(",")) {
    if (item === "") return "empty list item";
    const [range, step, ...extra] = item.split("/");
    if (extra.length > 0) return "more than one '/'";
    if (step !== undefined && !/^[0-9]+$/.test(step)) return `step "${step}" is not a number`;
    if (step !== undefined && (Number(step) < 1 || Number(step) > spec.max + 1)) return `step ${step} out of range`;
    if (range === "*") continue;
    if (range === "?") {
      if (!spec.question || step !== undefined) return "'?' is only allowed alone in day fields";
      continue;
    }
    const bounds = range!.split("-");
    if (bounds.length > 2) return `bad range "${range}"`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = fieldValue(b, spec);
      if (v === null) return `"${b}" is not a value between ${spec.min} and ${spec.max}`;
      values.push(v);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `range ${range} runs backwards`;
  }
  return null;
}

function fieldValue(text: string, spec: FieldSpec): number | null {
  if (/^[0-9]{1,2}$/.test(text)) {
    const v = Number(text);
    return v >= spec.min && v <= spec.max ? v : null;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return null;
  return spec.names === MONTHS ? index + 1 : index;
}

// ── natural language ────────────────────────────────────────────────────────────────────────────────

const DAY_NUMBERS: Record<string, number> = {
  sun: 0, sunday: 0, sundays: 0,
  mon: 1, monday: 1, mondays: 1,
  tue: 2, tues: 2, tuesday: 2, tuesdays: 2,
  wed: 3, wednesday: 3, wednesdays: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, thursdays: 4,
  fri: 5, friday: 5, fridays: 5,
  sat: 6, saturday: 6, saturdays: 6,
};

const FORMS_HELP = `use cron ("0 9 * * 1-5") or e.g. "every 5 minutes", "every hour", "every day at 9am", "at 14:30", "every monday at 9am", "weekdays at 8am"`;

function naturalToCron(text: string): ScheduleResult {
  const words = text.toLowerCase().replace(/,/g, " , ").split(/\s+/).filter((w) => w !== "");
  const fail = (): ScheduleResult => ({ ok: false, message: `Unrecognised schedule "${text}": ${FORMS_HELP}` });
  let i = 0;
  const peek = () => words[i];
  const take = (w: string) => (words[i] === w ? (i++, true) : false);

  // Optional "at <time>" tail, shared by the day-based forms.
  const atTime = (): { minute: number; hour: number } | null | "bad" => {
    if (i >= words.length) return null;
    if (!take("at")) return "bad";
    const t = parseTime(words.slice(i).join(" "));
    i = words.length;
    return t ?? "bad";
  };
  const daily = (dom: string, dow: string): ScheduleResult => {
    const t = atTime();
    if (t === "bad") return fail();
    return { ok: true, cron: `${t?.minute ?? 0} ${t?.hour ?? 0} ${dom} * ${dow}` };
  };

  if (take("at")) {
    const t = parseTime(words.slice(i).join(" "));
    return t === null ? fail() : { ok: true, cron: `${t.minute} ${t.hour} * * *` };
  }
  if (take("hourly")) return i === words.length ? { ok: true, cron: "0 * * * *" } : fail();
  if (take("daily")) return daily("*", "*");
  if (take("weekly")) return daily("*", "0");
  if (take("monthly")) return daily("1", "*");
  const every = take("every") || take("on");

  const w = peek();
  if (w === undefined) return fail();
  if (w === "weekday" || w === "weekdays") {
    i++;
    return daily("*", "1-5");
  }
  if (w === "weekend" || w === "weekends") {
    i++;
    return daily("*", "0,6");
  }
  if (w in DAY_NUMBERS) {
    const days: number[] = [];
    while (i < words.length && (peek()! in DAY_NUMBERS || peek() === "," || peek() === "and")) {
      const d = words[i++]!;
      if (d in DAY_NUMBERS && !days.includes(DAY_NUMBERS[d]!)) days.push(DAY_NUMBERS[d]!);
    }
    return daily("*", days.sort((a, b) => a - b).join(","));
  }
  if (!every) return fail();

  // every [N] minute(s) | hour(s) | day(s) | week | month
  let n = 1;
  if (/^[0-9]+$/.test(w)) {
    n = Number(w);
    i++;
  }
  const unit = words[i++];
  const rest = i === words.length;
  switch (unit) {
    case "minute":
    case "minutes":
    case "min":
    case "mins":
      if (!rest || n < 1 || n > 59) return fail();
      return { ok: true, cron: n === 1 ? "* * * * *" : `*/${n} * * * *` };
    case "hour":
    case "hours":
      if (!rest || n < 1 || n > 23) return fail();
      return { ok: true, cron: n === 1 ? "0 * * * *" : `0 */${n} * * *` };
    case "day":
    case "days":
      if (n < 1 || n > 31) return fail();
      return daily(n === 1 ? "*" : `*/${n}`, "*");
    case "week":
      return n === 1 ? daily("*", "0") : fail();
    case "month":
      return n === 1 ? daily("1", "*") : fail();
    default:
      return fail();
  }
}

/** "9am", "9 am", "9:30pm", "14:00", "noon", "midnight" → minute and hour. */
function parseTime(text: string): { minute: number; hour: number } | null {
  const t = text.trim();
  if (t === "noon") return { minute: 0, hour: 12 };
  if (t === "midnight") return { minute: 0, hour: 0 };
  const m = /^([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm|h)?$/.exec(t);
  if (m === null) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const suffix = m[3];
  if (minute > 59) return null;
  if (suffix === "am" || suffix === "pm") {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (suffix === "pm" ? 12 : 0);
  } else if (hour > 23 || (m[2] === undefined && suffix === undefined)) {
    return null; // a bare "9" is ambiguous
  }
  return { minute, hour };
}
