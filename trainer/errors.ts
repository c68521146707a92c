/**
 * Input a job can never succeed with (a missing run, an invalid config, a site with nothing to learn
 * from). Processors turn it into BullMQ's UnrecoverableError so the job fails without retries; the
 * message says what to fix. Kept free of BullMQ so the training code runs without a queue.
 */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/**
 * Staff cancelled the run while it trained (its row says `cancelled`): the processor stops at the next
 * logged step, saves nothing and does not retry.
 */
export class RunCancelledError extends Error {
  constructor(runId: string) {
    super(`training run ${runId} was cancelled`);
    this.name = 'RunCancelledError';
  }
}
