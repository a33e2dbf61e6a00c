import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A MinIO notification body from webhooks/fixtures/ (the exact format MinIO POSTs). */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "webhooks", "fixtures", `${name}.json`), "utf8"));
}
