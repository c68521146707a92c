export type BackoffOptions = {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Longest delay between two attempts, in ms, so a long outage still retries regularly. */
  capMs: number;
};

export const defaultBackoff: BackoffOptions = { baseMs: 1000, capMs: 60_000 };

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so many visitors recovering from the same outage do not retry in
 * lock-step, while the delay still grows (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffDelay(attempt: number, random: () => number, opts = defaultBackoff): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
