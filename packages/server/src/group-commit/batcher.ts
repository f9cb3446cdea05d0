/**
 * Natural batching: the first item runs at once, alone; items that arrive while a batch is in the
 * database wait and go together as the next batch. At low load every request is answered after one
 * statement, as before; under load one statement and one commit (one WAL flush) carry many requests,
 * so the commit cost is shared instead of paid per request. No timer: a batch never waits for company.
 *
 * State here is only the queue of requests this process has in hand; every invariant (use counts, the
 * access log) is decided by the database in the batch's statement.
 */
export interface Batcher<I, O> {
  /**
   * Adds one item to the next batch and resolves with its own result.
   * @throws whatever the batch's `run` threw, to every item of that batch (a database fault answers 503).
   */
  submit(item: I): Promise<O>;
}

export interface BatcherOptions {
  /** Items per batch at most: bounds one statement's size and latency. */
  maxBatch: number;
  /** Batches in the database at once (connections used): 1 keeps one statement in flight. */
  maxInFlight: number;
  /**
   * Items waiting at most. While the database is slow the queue would otherwise grow without bound;
   * past it `submit` fails at once with `overloaded()`, answered 503 with Retry-After.
   */
  maxQueued: number;
  /** The error a submit past `maxQueued` fails with. */
  overloaded: () => Error;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/**
 * @param run Given the batch in arrival order, returns one result per item, in the same order. It must
 *   be all or nothing (one statement): when it throws, no item of the batch took effect.
 */
export const createBatcher = <I, O>(
  run: (items: readonly I[]) => Promise<readonly O[]>,
  options: BatcherOptions,
): Batcher<I, O> => {
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;

  const start = (): void => {
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight += 1;
      void runBatch(batch);
    }
  };

  const runBatch = async (batch: Waiting<I, O>[]): Promise<void> => {
    try {
      const results = await run(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} gave ${results.length} results`);
      }
      batch.forEach((waiting, index) => waiting.resolve(results[index] as O));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      inFlight -= 1;
      start();
    }
  };

  return {
    submit: (item) =>
      new Promise<O>((resolve, reject) => {
        if (queue.length >= options.maxQueued) {
          reject(options.overloaded());
          return;
        }
        queue.push({ item, resolve, reject });
        start();
      }),
  };
};
