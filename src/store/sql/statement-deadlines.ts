/**
 * The client-side limit on how long a statement may go unanswered (a frozen server), kept by
 * one shared timer instead of pg's `query_timeout`, which arms and clears a timer per
 * statement: under load that per-statement timer made each young-generation collection of
 * the gateway about three times dearer (the CPU regression of ITI-65/ITI-67 after 391d4cf).
 * A statement past its deadline fails with pg's own timeout error, which connection-failure.ts
 * classifies as the database being unreachable; the caller then drops its connection.
 * The same timer keeps transactions' overall limits (`watch`, transaction-deadline.ts).
 */
const TIMEOUT_MESSAGE = 'Query read timeout';

interface Running {
  deadline: number;
  expire: () => void;
}

export class StatementDeadlines {
  private readonly running = new Set<Running>();
  private timer: NodeJS.Timeout | undefined;
  /** How often deadlines are checked: a frozen statement fails within limitMs plus this. */
  private readonly tickMs: number;

  constructor(private readonly limitMs: number) {
    this.tickMs = Math.max(10, Math.min(250, Math.floor(limitMs / 4)));
  }

  /** `statement`'s outcome, or pg's timeout error once limitMs passed without one. */
  run<T>(statement: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = this.watch(() => reject(new Error(TIMEOUT_MESSAGE)));
      statement.then(
        (value) => {
          done();
          resolve(value);
        },
        (err: unknown) => {
          done();
          reject(err);
        },
      );
    });
  }

  /** Calls `expire` once limitMs have passed, unless the returned function was called first. */
  watch(expire: () => void): () => void {
    const entry: Running = { deadline: Date.now() + this.limitMs, expire };
    this.running.add(entry);
    this.timer ??= setInterval(() => this.expireLate(), this.tickMs).unref();
    return () => this.running.delete(entry);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private expireLate(): void {
    const now = Date.now();
    for (const entry of this.running) {
      if (entry.deadline > now) continue;
      this.running.delete(entry);
      entry.expire();
    }
    if (this.running.size === 0) this.close();
  }
}
