// A WorkerPool thread for tests: loads its TypeScript body through tsx, like the service's threads do.
import { register } from "tsx/esm/api";

register();
await import("./test-thread-body.ts");
