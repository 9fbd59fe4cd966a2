/** Runs async tasks one at a time, in call order: the file log's single critical section. */
export class SerialQueue {
  private last: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task);
    this.last = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  drained(): Promise<void> {
    return this.run(async () => undefined);
  }
}
