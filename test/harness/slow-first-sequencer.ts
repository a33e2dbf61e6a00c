/**
 * The order test files start in: the slowest first, so the run does not end waiting on one long file that
 * started last. Durations measured by the last run (vitest's cache) decide when every file has one; on a
 * fresh checkout, where there is none, the kind of file does — a real radosgw or a 100,000-case fuzz before
 * a service end to end, before a browser, before an adapter against PostgreSQL, before in-process tests.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const SLOWEST_FIRST = [/ceph/, /^test\/fuzz\//, /^test\/e2e\/kb-(memory|vectors)/, /^test\/e2e\/worker/, /^test\/e2e\//, /^test\/browser\//, /^test\/integration\//];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const known = files.map((file) => {
      const path = relative(this.ctx.config.root, file.moduleId);
      const rank = SLOWEST_FIRST.findIndex((pattern) => pattern.test(path));
      return { file, duration: cache.getFileTestResults(`${file.project.name}:${path}`)?.duration, rank: rank === -1 ? SLOWEST_FIRST.length : rank };
    });
    const measured = known.every((k) => k.duration !== undefined);
    return known
      .sort((a, b) => (measured ? b.duration! - a.duration! : a.rank - b.rank))
      .map((k) => k.file);
  }
}
