/**
 * The `config_type` column of `bot_configuration`. The botserver always writes the literal `'string'`
 * (docs/botserver-compatibility.md, "Tables botsync shares") and infers types at runtime; we infer once, at
 * sync time, so the column
 * means something.
 */
export type ConfigType = "boolean" | "number" | "string";

/**
 * Decimal number, deliberately strict so that only values that are unambiguously numbers get the label:
 *   - optional leading `-`; a leading `+` is NOT accepted ("+55 11 ..." looks like a phone number, and
 *     nobody writes `+3` for a setting);
 *   - at least one digit before the point, and at least one after it if there is a point ("1." and ".5"
 *     are strings; write "1" / "0.5");
 *   - optional exponent (`1e3`, `2.5E-4`);
 *   - leading zeros are allowed ("007" is a number);
 *   - no hex (`0x1F`), no thousands separators (`1,000`), no `Infinity` / `NaN`, no surrounding spaces
 *     (values arrive trimmed), and the result must be finite as a double (`1e999` is a string).
 */
const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function inferConfigType(value: string): ConfigType {
  // Cheap length guards first: every boolean is 4 or 5 chars.
  if (value.length === 4 || value.length === 5) {
    const lower = value.toLowerCase();
    if (lower === "true" || lower === "false") return "boolean";
  }
  if (value.length > 0 && DECIMAL.test(value) && Number.isFinite(Number(value))) return "number";
  return "string";
}
