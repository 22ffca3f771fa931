// A concurrency limit per provider endpoint that adapts to rate limits (additive increase,
// multiplicative decrease): every 429/529 seen on the wire pauses new requests for the server's
// retry-after and halves the limit (at most once per pause, so one burst of 429s halves it once);
// each run of `limit` successes raises it by one, back up to the ceiling.

const DEFAULT_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 120_000;

export class Limiter {
  /** Current limit on requests in flight. */
  limit: number;
  active = 0;
  /** 429s/529s seen, for logs and tests. */
  throttled = 0;
  private ceiling: number;
  private pausedUntil = 0;
  private lastCut = 0;
  private successes = 0;
  private waiters: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ceiling: number) {
    this.ceiling = Math.max(1, ceiling);
    this.limit = this.ceiling;
  }

  /** Several stages may share a provider: the ceiling is the largest concurrency any asked for. */
  raiseCeiling(n: number): void {
    if (n <= this.ceiling) return;
    this.limit += n - this.ceiling;
    this.ceiling = n;
    this.pump();
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.active--;
      this.pump();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.canStart()) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== go);
        reject(signal!.reason ?? new Error("aborted"));
      };
      const go = () => {
        signal?.removeEventListener("abort", onAbort);
        this.active++;
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(go);
      this.pump();
    });
  }

  private canStart(): boolean {
    return this.active < this.limit && Date.now() >= this.pausedUntil;
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.canStart()) this.waiters.shift()!();
    const wait = this.pausedUntil - Date.now();
    if (this.waiters.length > 0 && wait > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
    }
  }

  /** The server said "slow down" (429, or Anthropic's 529 overloaded). */
  onThrottle(retryAfterMs: number | undefined): void {
    const now = Date.now();
    this.throttled++;
    this.successes = 0;
    const pause = Math.min(MAX_PAUSE_MS, retryAfterMs ?? DEFAULT_PAUSE_MS);
    if (now >= this.lastCut) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.lastCut = now + pause;
    }
    this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    this.pump();
  }

  onSuccess(): void {
    if (this.limit >= this.ceiling) return;
    if (++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.pump();
    }
  }
}

/** `retry-after-ms` (milliseconds) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (!raw) return undefined;
  const seconds = parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const limiters = new Map<string, Limiter>();

/** The one limiter for an endpoint (wire protocol + base URL), shared by every stage of the process. */
export function limiterFor(endpoint: string, concurrency: number): Limiter {
  let l = limiters.get(endpoint);
  if (!l) limiters.set(endpoint, (l = new Limiter(concurrency)));
  else l.raiseCeiling(concurrency);
  return l;
}
