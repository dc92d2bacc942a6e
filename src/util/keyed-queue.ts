/**
 * Runs tasks one at a time per key (one security issue), in arrival order, so that two webhooks for
 * the same issue cannot read the same response record and overwrite each other's update. Keys are
 * dropped once idle, so memory follows the work in flight, not the history.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
