/** Most items in one write; more wait for the next. */
const MAX_BATCH = 500;
/**
 * Writes in flight at once (each holds one pooled connection). One: everything that arrives while a
 * batch commits goes in the next, so batches are as large as the load allows. A thumbs batch costs
 * Postgres a fixed ~0.2 ms of CPU plus ~0.025 ms per event (`npm run bench -- feedback-batch`), so size is
 * what makes group commit pay: measured on the ingest bench, 1 in flight gave ~22 events per commit; 2 or
 * 3 in flight gave 12–14, more Postgres CPU per event, and no gain in rps.
 */
const MAX_IN_FLIGHT = 1;

/**
 * Group commit. Items recorded while earlier writes run are written together by ONE call of `write`
 * (one statement, one commit), so under load the cost of a commit is shared by many items. A write
 * starts at the end of the event-loop turn its first item arrived in (setImmediate: no timer, no added
 * wait), so the requests that one socket read let through go together. `record` resolves only after the
 * write of its item returned, so a request answered from it is answered after its commit.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Writes a batch in one transaction; answers one result per item, in order. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: { maxInFlight?: number; maxBatch?: number } = {},
  ) {}

  record(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= (this.options.maxInFlight ?? MAX_IN_FLIGHT)) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.options.maxBatch ?? MAX_BATCH);
    this.inFlight++;
    this.write(batch.map((b) => b.item))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        (err) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
    this.schedule();
  };
}
