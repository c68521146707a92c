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
