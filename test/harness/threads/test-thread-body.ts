import { BotsyncError } from "../../../src/core/errors.js";
import { serveThread } from "../../../src/adapters/threads/serve-thread.js";

/** echo: answers the text; spin: keeps the thread busy for `ms`; fail: throws a coded error; crash: exits */
type Request = { op: "echo"; text: string } | { op: "spin"; ms: number } | { op: "fail" } | { op: "crash" };

serveThread((request: Request) => {
  switch (request.op) {
    case "echo":
      return request.text;
    case "spin": {
      const until = Date.now() + request.ms;
      while (Date.now() < until);
      return "spun";
    }
    case "fail":
      throw new BotsyncError("BAD_REQUEST", "asked to fail");
    case "crash":
      process.exit(3);
  }
}, "INTERNAL");
