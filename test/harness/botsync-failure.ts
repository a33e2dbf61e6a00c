import { expect } from "vitest";
import { BotsyncError } from "../../src/core/errors.js";

/** The BotsyncError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<BotsyncError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(BotsyncError);
    return error as BotsyncError;
  }
  throw new Error("expected a rejection");
}
