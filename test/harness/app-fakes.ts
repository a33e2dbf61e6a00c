/**
 * In-process doubles of the ports the HTTP app depends on, for handler and middleware tests that go
 * through `app.request()` without a database, a drive or a network. A port a test does not fake throws
 * when used, so a test cannot pass by accident through a dependency it forgot.
 */
import { JsonLogger } from "../../src/adapters/log/json-logger.js";
import type { Logger } from "../../src/core/ports/logger.js";
import type { AppDeps } from "../../src/handlers/app-deps.js";
import { ManualClock } from "./manual-clock.js";

export type MemoryLogger = Logger & { lines: Array<Record<string, unknown>> };

/** A JSON logger that keeps its records (debug and up) for assertions. */
export function memoryLogger(): MemoryLogger {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger({}, "debug", (_level, line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return Object.assign(logger, { lines });
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (...args: never[]) => unknown ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** An object whose every property access throws "not faked", except the ones given. */
function strict<T extends object>(name: string, given: Partial<T> = {}): T {
  return new Proxy(given as T, {
    get(target, property) {
      if (property in target) return target[property as keyof T];
      if (typeof property === "symbol" || property === "then") return undefined;
      throw new Error(`${name}.${property} is not faked in this test`);
    },
  });
}

export type FakeAppDeps = AppDeps & { log: MemoryLogger; clock: ManualClock };

/**
 * `clock` is a ManualClock unless given: time stands still until the test moves it, so a handler that waits
 * (a busy reconcile, a health check's time limit) waits until the test says the time has passed.
 */
export function fakeAppDeps(overrides: DeepPartial<AppDeps> = {}): FakeAppDeps {
  const log = memoryLogger();
  const deps: Record<string, unknown> = { log, onQueued: () => {}, clock: new ManualClock() };
  for (const [key, value] of Object.entries(overrides)) {
    deps[key] = typeof value === "object" && value !== null && !(value instanceof Map) && !(value instanceof ManualClock) ? strict(key, value as object) : value;
  }
  return strict<FakeAppDeps>("deps", deps as Partial<FakeAppDeps>);
}
