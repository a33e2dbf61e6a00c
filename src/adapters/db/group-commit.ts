/**
 * Group commit: items submitted while earlier ones are being written go out together, as one write, and
 * each submitter gets its own item's result. The webhook's records are tiny statements whose cost is mostly
 * per statement (a round trip, parsing, a commit and its WAL flush), so N records in one statement cost far
 * less than N statements.
 *
 * A batch goes out as soon as a write slot is free (after the current turn of the event loop, so that the
 * requests read in the same turn share it, or after `windowMs` when set), when `maxItems` are waiting, or
 * when a slot frees up. No item waits for a timer while the database is idle, unless `windowMs` asks for it.
 *
 * When a batch's write fails, every item of it fails with that error: the writer decides what is committed,
 * and a submitter must not be told "done" unless its item is.
 */
export interface GroupCommitOptions<In, Out> {
  /** writes the items, in order; resolves with one result per item, in the same order */
  write(items: In[]): Promise<Out[]>;
  /** the most items in one write */
  maxItems: number;
  /** writes in flight at once (each takes a database connection) */
  maxInFlight: number;
  /** how long a batch waits for more items once a slot is free; 0 = only until the current I/O turn ends */
  windowMs?: number;
}

interface Waiting<In, Out> {
  item: In;
  resolve(result: Out): void;
  reject(error: unknown): void;
}

export class GroupCommit<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: GroupCommitOptions<In, Out>) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxItems && this.inFlight < this.options.maxInFlight) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.flush();
    };
    if (this.options.windowMs) setTimeout(go, this.options.windowMs);
    else setImmediate(go);
  }

  private flush(): void {
    if (this.waiting.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    const batch = this.waiting.splice(0, this.options.maxItems);
    this.inFlight++;
    this.options
      .write(batch.map((w) => w.item))
      .then(
        (results) => {
          if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
          batch.forEach((w, i) => w.resolve(results[i]!));
        },
      )
      .catch((error: unknown) => {
        for (const w of batch) w.reject(error);
      })
      .finally(() => {
        this.inFlight--;
        // What arrived while this batch was out goes next, at once if it fills a batch.
        if (this.waiting.length >= this.options.maxItems) this.flush();
        else if (this.waiting.length > 0) this.schedule();
      });
  }
}
