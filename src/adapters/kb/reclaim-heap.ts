/**
 * A full garbage collection of this thread's heap, taken before a large document is indexed.
 *
 * V8 collects the old generation lazily: the strings, chunk arrays and statement buffers of one large
 * document stay on the main thread's heap until V8 decides the heap is full, so the next large document's
 * memory comes on top of the last one's garbage. Indexing the bench's six cap-sized documents one after the
 * other took the service to 305–342 MB (VmHWM), each document's own growth being within budget; with this
 * collection before each large one, 279 MB (BENCHMARKS.md, section 7). It runs only before documents of
 * several MiB — seconds of work — so its pause (tens of milliseconds on a heap of ~100 MB) is not on the
 * path of small files.
 *
 * `gc` is exposed at run time instead of with `node --expose-gc`, so the service behaves the same however
 * it is started (npm start, the CLI's bundle, tests, the bench).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/** Collects garbage now; returns how long it took, in milliseconds. */
export function reclaimHeap(): number {
  if (collect === undefined) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  const started = performance.now();
  collect();
  return performance.now() - started;
}
