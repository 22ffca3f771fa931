// Bounded concurrency for the compress endpoint: `active` requests run, up to `queue` more wait
// in order, and beyond that a request is refused at once (the server answers 429 with
// retry-after) instead of piling up memory and latency.
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly active: number,
    readonly queue: number,
  ) {}

  /** A release function, or null when both the slots and the queue are full. */
  async enter(): Promise<(() => void) | null> {
    if (this.running < this.active) {
      this.running++;
      return this.releaser();
    }
    if (this.waiting.length >= this.queue) return null;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.releaser();
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter; `running` stays the same.
      if (next) next();
      else this.running--;
    };
  }
}
