/**
 * Runs `close` once on the first SIGINT or SIGTERM, then exits 0; a second signal while closing
 * exits at once with 1 (a stuck close must never make Ctrl-C useless).
 */
export function closeOnSignals(close: () => Promise<void>, log: (line: string) => void = console.log): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    log(`${signal}: shutting down…`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
